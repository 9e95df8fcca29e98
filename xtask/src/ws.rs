//! Where the workspace is, and the environment every child command gets.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::Result;

pub struct Workspace {
    pub root: PathBuf,
    /// PATH for children: our npm tools first, then cargo's bin, then the caller's PATH.
    path: OsString,
}

impl Workspace {
    pub fn locate() -> Result<Self> {
        // `cargo run` sets CARGO_MANIFEST_DIR (xtask/) at run time too; prefer it
        // over the compile-time value in case the checkout was moved.
        let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
        let root = manifest
            .parent()
            .filter(|root| root.join("Cargo.toml").is_file())
            .ok_or_else(|| format!("cannot find the workspace above {}", manifest.display()))?
            .to_path_buf();
        let mut ws = Workspace {
            root,
            path: OsString::new(),
        };
        ws.path = ws.child_path()?;
        if std::env::var_os("RUSTFLAGS").is_some()
            || std::env::var_os("CARGO_ENCODED_RUSTFLAGS").is_some()
        {
            println!("xtask: note: ignoring RUSTFLAGS; it would replace the wasm rustflags in .cargo/config.toml");
        }
        Ok(ws)
    }

    pub fn dist_dir(&self) -> PathBuf {
        self.root.join("dist")
    }

    /// Where `npm install --prefix` puts binaryen.
    pub fn node_tools(&self) -> PathBuf {
        self.root.join(".tools").join("node")
    }

    pub fn node_bin(&self) -> PathBuf {
        self.node_tools().join("node_modules").join(".bin")
    }

    fn child_path(&self) -> Result<OsString> {
        let mut dirs = vec![self.node_bin(), cargo_bin()];
        dirs.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        std::env::join_paths(dirs).map_err(|e| format!("cannot build PATH: {e}"))
    }

    /// A command run in the workspace root with the prepared environment.
    /// (On Unix, std looks `program` up in the PATH given here, not ours.)
    pub fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command
            .current_dir(&self.root)
            .env("PATH", &self.path)
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS");
        command
    }

    pub fn cargo(&self, args: &[&str]) -> Command {
        let mut command = self.command("cargo");
        command.args(args);
        command
    }
}

/// `$CARGO_HOME/bin`, where `cargo install` puts trunk and wasm-bindgen.
fn cargo_bin() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(&std::env::var_os("HOME").unwrap_or_default()).join(".cargo"));
    home.join("bin")
}

/// Runs a command with inherited output; an error if it cannot start or fails.
pub fn run(command: &mut Command) -> Result<()> {
    let shown = describe(command);
    println!("xtask: $ {shown}");
    let status = command.status().map_err(|e| spawn_error(&shown, &e))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// Runs a command quietly and returns its stdout, or None if it cannot start or fails.
/// Used for probes such as `trunk --version`.
pub fn probe(command: &mut Command) -> Option<String> {
    let output = command
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

pub fn describe(command: &Command) -> String {
    let mut words = vec![command.get_program().to_string_lossy().into_owned()];
    words.extend(command.get_args().map(|a| a.to_string_lossy().into_owned()));
    words.join(" ")
}

pub fn spawn_error(shown: &str, error: &std::io::Error) -> String {
    if error.kind() == std::io::ErrorKind::NotFound {
        format!("cannot run `{shown}`: program not found on PATH")
    } else {
        format!("cannot run `{shown}`: {error}")
    }
}
