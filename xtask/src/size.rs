//! `cargo xtask size`: where the release wasm's bytes go, by module of the
//! console, so size work starts where the bytes are.
//!
//! Most of the wasm is generic code (Leptos views, reactive graph, serde)
//! instantiated for the console's own closures and types. Under Rust's
//! default symbol names those instantiations carry only a hash, and a size
//! tool files them under `core` or `tachys`. Built with v0 names (for the
//! app crate only, so the dependencies stay as built), each instantiation
//! names its type arguments, and is filed under the first module of the
//! console (or of `proto`) it mentions. Sizes are of the code after
//! `wasm-opt -Oz`, as shipped, before gzip.

use std::collections::HashMap;
use std::path::Path;

use crate::dist::kb;
use crate::setup;
use crate::wasm::{self, leb, name_at};
use crate::ws::{run, Workspace};
use crate::Result;

/// Groups printed, largest first; the rest are summed in one line.
const SHOWN: usize = 40;

pub fn run_report(ws: &Workspace) -> Result<()> {
    setup::app_tools(ws)?;
    let dir = ws.root.join("target").join("size");
    // v0 names for every crate, added to the rustflags of .cargo/config.toml
    // (cargo joins the two lists); in its own target dir, so the app built
    // for trunk is left as it is.
    run(&mut ws.cargo(&[
        "--config",
        "target.wasm32-unknown-unknown.rustflags=[\"-Csymbol-mangling-version=v0\"]",
        "build",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
        "--bin",
        "dispatch-desk",
        "--target-dir",
        &dir.to_string_lossy(),
    ]))?;
    let built = dir.join("wasm32-unknown-unknown/release/dispatch-desk.wasm");
    let bound = dir.join("bindgen");
    run(ws.command("wasm-bindgen").args([
        "--target",
        "web",
        "--keep-debug",
        "--out-dir",
        &bound.to_string_lossy(),
        &built.to_string_lossy(),
    ]))?;
    let optimized = dir.join("dispatch-desk.opt.wasm");
    let wasm_opt = ws.node_bin().join("wasm-opt");
    run(ws.command(&wasm_opt.to_string_lossy()).args([
        "-Oz",
        "-g",
        &bound.join("dispatch-desk_bg.wasm").to_string_lossy(),
        "-o",
        &optimized.to_string_lossy(),
    ]))?;
    let module = Module::parse(&read(&optimized)?)?;
    let groups = module.groups();
    let total: u64 = groups.iter().map(|(_, bytes)| bytes).sum();
    println!(
        "size: {} functions, code and data {} raw (names and debug sections left out)",
        module.functions.len(),
        kb(total)
    );
    for (group, bytes) in groups.iter().take(SHOWN) {
        println!(
            "size: {group:<34} {:>9} {:>5.1} %",
            kb(*bytes),
            share(*bytes, total)
        );
    }
    let rest: u64 = groups.iter().skip(SHOWN).map(|(_, bytes)| bytes).sum();
    if rest > 0 {
        println!(
            "size: {:<34} {:>9} {:>5.1} %",
            "(the rest)",
            kb(rest),
            share(rest, total)
        );
    }
    Ok(())
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn share(part: u64, total: u64) -> f64 {
    part as f64 * 100.0 / total.max(1) as f64
}

/// What the report needs of a wasm module: each defined function's body
/// size and name, and the size of the data segments.
#[derive(Debug, Default)]
struct Module {
    /// (name, body bytes), in function index order; unnamed ones are "".
    functions: Vec<(String, u64)>,
    data: u64,
}

impl Module {
    fn parse(wasm: &[u8]) -> Result<Self> {
        let mut module = Module::default();
        let mut imported = 0u32;
        let mut names: HashMap<u32, String> = HashMap::new();
        for section in wasm::sections(wasm)? {
            let body = section.body;
            match section.id {
                2 => imported = wasm::imported_functions(body)?,
                10 => {
                    module.functions = wasm::code_bodies(body)?
                        .iter()
                        .map(|b| (String::new(), b.len() as u64))
                        .collect()
                }
                11 => module.data = body.len() as u64,
                0 => names.extend(function_names(body)?),
                _ => {}
            }
        }
        for (i, (name, _)) in module.functions.iter_mut().enumerate() {
            if let Some(n) = names.remove(&(imported + i as u32)) {
                *name = n;
            }
        }
        Ok(module)
    }

    /// Bytes per group (see [`group_of`]), largest first; data is one group.
    fn groups(&self) -> Vec<(String, u64)> {
        let mut sums: HashMap<String, u64> = HashMap::new();
        for (name, bytes) in &self.functions {
            *sums.entry(group_of(name)).or_default() += bytes;
        }
        *sums.entry("(data segments)".into()).or_default() += self.data;
        let mut groups: Vec<_> = sums.into_iter().collect();
        groups.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        groups
    }
}

/// The module a function's bytes are filed under: the first
/// `dispatch_desk::a::b` its name mentions (the app's module, two levels
/// deep), else the first `proto::a`, else the crate the name starts with.
fn group_of(name: &str) -> String {
    let name = strip_disambiguators(name);
    for (krate, depth) in [("dispatch_desk::", 2), ("proto::", 1)] {
        if let Some(at) = name.find(krate) {
            let path: Vec<&str> = name[at + krate.len()..]
                .split("::")
                .map(|s| {
                    s.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .next()
                        .unwrap_or("")
                })
                .take_while(|s| is_module(s))
                .take(depth)
                .collect();
            return format!("{}{}", krate, path.join("::"));
        }
    }
    // Else the crate the path begins with, wherever it starts: `<_ as
    // tachys::view::Render>::build` is tachys's.
    let crate_name = name.find("::").map(|at| {
        let before = &name[..at];
        let start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        &before[start..]
    });
    match crate_name {
        Some(krate) if is_module(krate) => krate.to_owned(),
        _ => "(other)".into(),
    }
}

/// A module name as the code base writes them: lower case, not a
/// component's generated function (`__component_…`).
fn is_module(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('_')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Drops v0's crate disambiguators: `core[c5930c85a12de822]::fmt` is `core::fmt`.
fn strip_disambiguators(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(open) = rest.find('[') {
        let close = rest[open..].find(']').map(|c| open + c);
        match close {
            Some(close) if rest[open + 1..close].chars().all(|c| c.is_ascii_hexdigit()) => {
                out.push_str(&rest[..open]);
                rest = &rest[close + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The function names of a custom section, if it is the `name` section.
fn function_names(section: &[u8]) -> Result<Vec<(u32, String)>> {
    let (custom, mut at) = name_at(section, 0)?;
    let mut names = Vec::new();
    if custom != "name" {
        return Ok(names);
    }
    while at < section.len() {
        let kind = section[at];
        let (size, start) = leb(section, at + 1)?;
        if kind == 1 {
            let (count, mut p) = leb(section, start)?;
            for _ in 0..count {
                let (index, q) = leb(section, p)?;
                let (name, next) = name_at(section, q)?;
                names.push((index, name));
                p = next;
            }
        }
        at = start + size as usize;
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(id: u8, body: &[u8]) -> Vec<u8> {
        let mut s = vec![id, body.len() as u8];
        s.extend_from_slice(body);
        s
    }

    fn name(text: &str) -> Vec<u8> {
        let mut n = vec![text.len() as u8];
        n.extend_from_slice(text.as_bytes());
        n
    }

    /// One imported function, then two defined ones of 3 and 5 bytes, named
    /// through the name section; 4 bytes of data.
    fn tiny_module() -> Vec<u8> {
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        let mut import = vec![1];
        import.extend(name("env"));
        import.extend(name("f"));
        import.extend([0, 0]);
        wasm.extend(section(2, &import));
        wasm.extend(section(10, &[2, 3, 0, 1, 0x0b, 5, 0, 1, 1, 1, 0x0b]));
        wasm.extend(section(11, &[1, 0, 0, 0]));
        let mut names = vec![2];
        names.extend([1]);
        names.extend(name("dispatch_desk[1f]::ui::ptt::talk"));
        names.extend([2]);
        names.extend(name("core::fmt::write"));
        let mut custom = name("name");
        custom.push(1);
        custom.push(names.len() as u8);
        custom.extend(names);
        wasm.extend(section(0, &custom));
        wasm
    }

    #[test]
    fn reads_body_sizes_names_past_the_imports_and_data() {
        let module = Module::parse(&tiny_module()).unwrap();
        assert_eq!(
            module.functions,
            vec![
                ("dispatch_desk[1f]::ui::ptt::talk".to_owned(), 3),
                ("core::fmt::write".to_owned(), 5)
            ]
        );
        assert_eq!(module.data, 4);
        assert_eq!(
            module.groups(),
            vec![
                ("core".to_owned(), 5),
                ("(data segments)".to_owned(), 4),
                ("dispatch_desk::ui::ptt".to_owned(), 3)
            ]
        );
    }

    #[test]
    fn refuses_what_is_not_wasm_or_is_cut_short() {
        assert!(Module::parse(b"\x7fELF....").is_err());
        let mut cut = tiny_module();
        cut.truncate(20);
        assert!(Module::parse(&cut).is_err());
    }

    #[test]
    fn an_instantiation_goes_to_the_app_module_it_names() {
        let shim = "<<alloc[3ca5]::boxed::Box<dyn core[c593]::ops::function::FnOnce<(), Output = tachys[41c7]::view::any_view::AnyView>> as leptos[4a3f]::children::ToChildren<dispatch_desk[7268]::ui::ivr::__component_ivr_panel::{closure#0}>>::to_children::{closure#0} as core[c593]::ops::function::FnOnce<()>>::call_once::{shim:vtable#0}";
        assert_eq!(group_of(shim), "dispatch_desk::ui::ivr");
        assert_eq!(
            group_of("<proto[99]::meeting::machine::MeetingMachine>::answered"),
            "proto::meeting"
        );
        assert_eq!(
            group_of("dispatch_desk::config::Config::parse::h0123"),
            "dispatch_desk::config"
        );
        assert_eq!(
            group_of("<reactive_graph::signal::rw::RwSignal<u8>>::new"),
            "reactive_graph"
        );
        assert_eq!(
            group_of("<_ as tachys[41c7]::view::Render>::build"),
            "tachys"
        );
        assert_eq!(group_of("dlmalloc"), "(other)");
    }
}
