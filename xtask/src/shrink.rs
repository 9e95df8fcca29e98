//! What `cargo xtask dist` does to trunk's output so a browser downloads
//! less, the behaviour unchanged:
//! - the wasm's imports get short names, in the wasm and in its JS glue
//!   ([`short_imports`]), and the custom sections, which only tools read,
//!   are left out;
//! - the JS (glue, loader, audio worklet) is minified by terser, the CSS by
//!   csso (without restructuring, so the cascade stays as written);
//! - index.html's `integrity` attributes are computed again for the files
//!   it links ([`set_integrity`]);
//! - before all that (and before `layout`'s last wasm-opt pass, which then
//!   drops the code they alone reach), exports nothing can call are left
//!   out of the wasm ([`drop_dead_exports`]).

use std::collections::HashMap;
use std::path::Path;

use base64::Engine as _;
use sha2::{Digest, Sha384};

use crate::wasm;
use crate::ws::{run, Workspace};
use crate::Result;

/// Rewrites dist/'s wasm, its JS and CSS in place, then index.html's
/// integrity for each file it links.
pub fn shrink(ws: &Workspace, dist: &Path, wasm_path: &Path, glue_path: &Path) -> Result<()> {
    let (wasm, glue) = short_imports(&read(wasm_path)?, &read_text(glue_path)?)?;
    write(wasm_path, &wasm)?;
    write(glue_path, glue.as_bytes())?;
    let tool = |name: &str| ws.node_bin().join(name).to_string_lossy().into_owned();
    // The glue, boot.js and the audio worklet's module.
    for js in files_ending(dist, ".js")? {
        let arg = js.to_string_lossy().into_owned();
        run(ws.command(&tool("terser")).args([
            &*arg,
            "--module",
            "--compress",
            "--mangle",
            "--output",
            &*arg,
        ]))?;
    }
    let mut linked = vec![wasm_path.to_path_buf(), glue_path.to_path_buf()];
    for css in files_ending(dist, ".css")? {
        let arg = css.to_string_lossy().into_owned();
        run(ws
            .command(&tool("csso"))
            .args([&*arg, "--no-restructure", "--output", &*arg]))?;
        linked.push(css);
    }
    let index = dist.join("index.html");
    let mut html = read_text(&index)?;
    for path in linked {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        html = set_integrity(&html, &name, &read(&path)?)?;
    }
    write(&index, html.as_bytes())
}

/// Leaves out of the wasm at `path` the exports of wasm-streams' stream
/// adapter classes (`IntoUnderlyingSink`, `IntoUnderlyingSource`,
/// `IntoUnderlyingByteSource`). Leptos links them in for server functions'
/// streams; the console has no server function, so nothing makes one. The
/// glue keeps the classes' JS, never run. Their code reaches the function
/// table, so wasm-opt keeps it while it is exported: 1.3 KB gzipped.
/// Errs if the wasm has none of them (a new wasm-streams or Leptos: look
/// again).
pub fn drop_dead_exports(path: &Path) -> Result<()> {
    let dead = |name: &str| {
        let name = name.strip_prefix("__wbg_").unwrap_or(name);
        name.starts_with("intounderlying")
    };
    let (module, dropped) = wasm::without_exports(&read(path)?, dead)?;
    if dropped == 0 {
        return Err(format!(
            "{}: no stream adapter exports to leave out",
            path.display()
        ));
    }
    write(path, &module)
}

/// The module name every import is given in place of `./<crate>_bg.js`.
const MODULE: &str = "a";

/// wasm-bindgen names each import after the JS it calls plus 16 hex digits
/// of hash (`__wbg_appendChild_dbf7ad2f48413560`), under the module
/// `./<crate>_bg.js`, and the glue names it again as a key of the object it
/// passes to `WebAssembly.instantiate`. Hashes do not compress: about 9 KB
/// gzipped over the two files. This numbers the imports (`a`, `b`, … `aB`)
/// and renames each in both; each name must occur in the glue exactly once,
/// as a whole word, else the glue is not laid out as expected and nothing is
/// written. Custom sections (producers, target features) are left out.
pub fn short_imports(wasm: &[u8], glue: &str) -> Result<(Vec<u8>, String)> {
    let sections = wasm::sections(wasm)?;
    let mut out = wasm[..8].to_vec();
    let mut renames: HashMap<String, String> = HashMap::new();
    let mut module = None;
    for section in &sections {
        match section.id {
            0 => {}
            2 => {
                let imports = wasm::imports(section.body)?;
                let mut body = Vec::new();
                wasm::push_leb(&mut body, imports.len() as u32);
                for (n, import) in imports.iter().enumerate() {
                    let first = module.get_or_insert_with(|| import.module.clone());
                    if *first != import.module {
                        return Err(format!(
                            "the wasm imports from {first:?} and {:?}; the glue is expected to be the one module",
                            import.module
                        ));
                    }
                    let short = short_name(n);
                    wasm::push_name(&mut body, MODULE);
                    wasm::push_name(&mut body, &short);
                    body.extend_from_slice(import.desc);
                    renames.insert(import.field.clone(), short);
                }
                wasm::push_section(&mut out, 2, &body);
            }
            id => wasm::push_section(&mut out, id, section.body),
        }
    }
    let module = module.ok_or("the wasm imports nothing: not wasm-bindgen's output")?;
    let glue = rename_words(glue, &renames)?;
    let key = format!("\"{module}\":");
    if glue.matches(&key).count() != 1 {
        return Err(format!("the glue names the module {key} other than once"));
    }
    Ok((out, glue.replacen(&key, &format!("\"{MODULE}\":"), 1)))
}

/// `a`…`Z`, then `aa`, `ba`, …: a letter, then letters, digits, `_` and `$`.
fn short_name(mut n: usize) -> String {
    const FIRST: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const REST: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$";
    let mut name = String::from(FIRST[n % FIRST.len()] as char);
    n /= FIRST.len();
    while n > 0 {
        name.push(REST[n % REST.len()] as char);
        n /= REST.len();
    }
    name
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

/// Replaces each whole word of `text` that `renames` has; every one of them
/// must be there exactly once.
fn rename_words(text: &str, renames: &HashMap<String, String>) -> Result<String> {
    let mut out = String::with_capacity(text.len());
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut rest = text;
    while let Some(start) = rest.find(is_word) {
        out.push_str(&rest[..start]);
        let word_len = rest[start..]
            .find(|c| !is_word(c))
            .unwrap_or(rest.len() - start);
        let word = &rest[start..start + word_len];
        match renames.get_key_value(word) {
            Some((old, new)) => {
                *seen.entry(old.as_str()).or_default() += 1;
                out.push_str(new);
            }
            None => out.push_str(word),
        }
        rest = &rest[start + word_len..];
    }
    out.push_str(rest);
    for old in renames.keys() {
        let times = seen.get(old.as_str()).copied().unwrap_or(0);
        if times != 1 {
            return Err(format!(
                "the glue names the import {old} {times} times, not once"
            ));
        }
    }
    Ok(out)
}

/// Sets the `integrity` of the tag that links `file` to the SHA-384 of
/// `bytes`. A tag without `integrity` (trunk's `--no-sri`) is left alone;
/// a file no tag links is an error.
pub fn set_integrity(html: &str, file: &str, bytes: &[u8]) -> Result<String> {
    let link = ["\"", "/"]
        .iter()
        .find_map(|before| html.find(&format!("{before}{file}\"")))
        .ok_or_else(|| format!("index.html links no {file}"))?;
    let start = html[..link]
        .rfind('<')
        .ok_or("index.html: a link outside a tag")?;
    let end = link
        + html[link..]
            .find('>')
            .ok_or("index.html: a tag does not end")?;
    const ATTR: &str = "integrity=\"";
    let Some(at) = html[start..end].find(ATTR).map(|i| start + i + ATTR.len()) else {
        return Ok(html.to_owned());
    };
    let value_end = at
        + html[at..end]
            .find('"')
            .ok_or("index.html: integrity does not end")?;
    let digest = base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes));
    Ok(format!(
        "{}sha384-{digest}{}",
        &html[..at],
        &html[value_end..]
    ))
}

fn files_ending(dir: &Path, suffix: &str) -> Result<Vec<std::path::PathBuf>> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    Ok(entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.to_string_lossy().ends_with(suffix))
        .collect())
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module importing two functions from `./app_bg.js`, with a type
    /// section before and a custom section after.
    fn module(fields: &[&str], from: &[&str]) -> Vec<u8> {
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        wasm::push_section(&mut wasm, 1, &[1, 0x60, 0, 0]);
        let mut imports = Vec::new();
        wasm::push_leb(&mut imports, fields.len() as u32);
        for (field, module) in fields.iter().zip(from) {
            wasm::push_name(&mut imports, module);
            wasm::push_name(&mut imports, field);
            imports.extend([0, 0]);
        }
        wasm::push_section(&mut wasm, 2, &imports);
        let mut custom = Vec::new();
        wasm::push_name(&mut custom, "producers");
        custom.extend(b"rustc");
        wasm::push_section(&mut wasm, 0, &custom);
        wasm
    }

    const GLUE: &str = "function __wbg_get_imports() {\n    const import0 = {\n        __proto__: null,\n        __wbg_log_0123456789abcdef: function(a) { console.log(a); },\n        __wbg_now_fedcba9876543210: function() { return Date.now(); },\n    };\n    return { __proto__: null, \"./app_bg.js\": import0 };\n}\n// __wbg_log_0123456789abcdefx is another word\n";

    #[test]
    fn renames_the_imports_in_the_wasm_and_the_glue_alike() {
        let fields = ["__wbg_log_0123456789abcdef", "__wbg_now_fedcba9876543210"];
        let (wasm, glue) = short_imports(&module(&fields, &["./app_bg.js"; 2]), GLUE).unwrap();
        let sections = wasm::sections(&wasm).unwrap();
        assert_eq!(
            sections.iter().map(|s| s.id).collect::<Vec<_>>(),
            vec![1, 2],
            "the custom section is left out, the others kept in order"
        );
        let imports = wasm::imports(sections[1].body).unwrap();
        let names: Vec<_> = imports
            .iter()
            .map(|i| (i.module.as_str(), i.field.as_str(), i.desc))
            .collect();
        assert_eq!(
            names,
            vec![("a", "a", &[0u8, 0][..]), ("a", "b", &[0, 0][..])]
        );
        assert!(glue.contains("        a: function(a) { console.log(a); },"));
        assert!(glue.contains("        b: function() { return Date.now(); },"));
        assert!(glue.contains("\"a\": import0"));
        assert!(
            glue.contains("// __wbg_log_0123456789abcdefx is another word"),
            "only whole words"
        );
    }

    #[test]
    fn refuses_a_glue_laid_out_otherwise() {
        let missing = ["__wbg_log_0123456789abcdef", "__wbg_gone_0000000000000000"];
        let err = short_imports(&module(&missing, &["./app_bg.js"; 2]), GLUE).unwrap_err();
        assert!(err.contains("__wbg_gone_0000000000000000 0 times"), "{err}");
        let twice = format!("{GLUE}__wbg_log_0123456789abcdef();");
        let fields = ["__wbg_log_0123456789abcdef", "__wbg_now_fedcba9876543210"];
        let err = short_imports(&module(&fields, &["./app_bg.js"; 2]), &twice).unwrap_err();
        assert!(err.contains("2 times"), "{err}");
        let err = short_imports(&module(&fields, &["./app_bg.js", "env"]), GLUE).unwrap_err();
        assert!(err.contains("\"env\""), "{err}");
    }

    #[test]
    fn short_names_are_distinct_words() {
        let names: Vec<String> = (0..5000).map(short_name).collect();
        let distinct: std::collections::HashSet<_> = names.iter().collect();
        assert_eq!(distinct.len(), names.len());
        assert!(names
            .iter()
            .all(|n| n.chars().all(is_word) && !n.starts_with(|c: char| c.is_ascii_digit())));
        assert_eq!(
            (names[0].as_str(), names[51].as_str(), names[52].as_str()),
            ("a", "Z", "ab")
        );
    }

    #[test]
    fn integrity_is_computed_again_for_the_file_linked() {
        let html = r#"<link rel="stylesheet" href="/main-9f.css" integrity="sha384-OLD"/><link rel="modulepreload" href="/app-1a.js" crossorigin="anonymous" integrity="sha384-OLD2">"#;
        let page = set_integrity(html, "app-1a.js", b"abc").unwrap();
        // SHA-384 of "abc", from FIPS 180-2's examples.
        let abc = "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn";
        assert!(page.contains(&format!(
            r#"href="/app-1a.js" crossorigin="anonymous" integrity="{abc}">"#
        )));
        assert!(
            page.contains(r#"integrity="sha384-OLD"/>"#),
            "the other tag is untouched"
        );
        let bare = r#"<link rel="stylesheet" href="main.css">"#;
        assert_eq!(set_integrity(bare, "main.css", b"abc").unwrap(), bare);
        assert!(set_integrity(bare, "other.css", b"abc").is_err());
    }
}
