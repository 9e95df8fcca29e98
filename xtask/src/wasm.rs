//! Just enough of the wasm binary format for `size` (read), `shrink`
//! (rewrite the import names) and `layout` (order the functions): sections,
//! LEB128 numbers, names, imports, function bodies.

use crate::Result;

/// One section: its id and its body (the bytes after the size).
pub struct Section<'a> {
    pub id: u8,
    pub body: &'a [u8],
}

/// The sections of a module, in order.
pub fn sections(wasm: &[u8]) -> Result<Vec<Section<'_>>> {
    if wasm.get(..4) != Some(b"\0asm") {
        return Err("not a wasm module".into());
    }
    let mut sections = Vec::new();
    let mut at = 8;
    while at < wasm.len() {
        let id = wasm[at];
        let (size, start) = leb(wasm, at + 1)?;
        let end = start + size as usize;
        let body = wasm.get(start..end).ok_or("a section runs past the end")?;
        sections.push(Section { id, body });
        at = end;
    }
    Ok(sections)
}

/// One entry of the import section: module, field, and what it imports
/// (kind byte and type) as its raw bytes.
pub struct Import<'a> {
    pub module: String,
    pub field: String,
    pub desc: &'a [u8],
}

impl Import<'_> {
    pub fn is_function(&self) -> bool {
        self.desc.first() == Some(&0)
    }
}

pub fn imports(section: &[u8]) -> Result<Vec<Import<'_>>> {
    let (count, mut at) = leb(section, 0)?;
    let mut imports = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let (module, next) = name_at(section, at)?;
        let (field, desc_start) = name_at(section, next)?;
        let kind = *section
            .get(desc_start)
            .ok_or("an import runs past the end")?;
        let at_type = desc_start + 1;
        at = match kind {
            0 => leb(section, at_type)?.1,
            // table: reference type, then limits
            1 => limits(section, at_type + 1)?,
            2 => limits(section, at_type)?,
            // global: value type, mutability
            3 => at_type + 2,
            // tag: attribute, type
            4 => leb(section, at_type + 1)?.1,
            other => return Err(format!("an import of unknown kind {other}")),
        };
        let desc = section
            .get(desc_start..at)
            .ok_or("an import runs past the end")?;
        imports.push(Import {
            module,
            field,
            desc,
        });
    }
    Ok(imports)
}

/// How many of the imports are functions: they come first in the index space.
pub fn imported_functions(section: &[u8]) -> Result<u32> {
    Ok(imports(section)?.iter().filter(|i| i.is_function()).count() as u32)
}

/// The bodies of the code section, in order (each without its size).
pub fn code_bodies(section: &[u8]) -> Result<Vec<&[u8]>> {
    let (count, mut at) = leb(section, 0)?;
    let mut bodies = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let (size, start) = leb(section, at)?;
        at = start + size as usize;
        bodies.push(
            section
                .get(start..at)
                .ok_or("a function body runs past the end")?,
        );
    }
    Ok(bodies)
}

/// The module with the exports that `dead` names left out of its export
/// section (all else as it was), and how many were left out.
pub fn without_exports(module: &[u8], dead: impl Fn(&str) -> bool) -> Result<(Vec<u8>, usize)> {
    let mut out = module.get(..8).ok_or("not a wasm module")?.to_vec();
    let mut dropped = 0;
    for section in sections(module)? {
        if section.id != 7 {
            push_section(&mut out, section.id, section.body);
            continue;
        }
        let (count, mut at) = leb(section.body, 0)?;
        let mut kept = Vec::new();
        let mut body = Vec::new();
        for _ in 0..count {
            let start = at;
            let (name, next) = name_at(section.body, at)?;
            // The kind byte, then the index.
            at = leb(section.body, next + 1)?.1;
            if dead(&name) {
                dropped += 1;
            } else {
                kept.extend_from_slice(&section.body[start..at]);
            }
        }
        push_leb(&mut body, count - dropped as u32);
        body.extend(kept);
        push_section(&mut out, 7, &body);
    }
    Ok((out, dropped))
}

/// Skips a table's or memory's limits: a flags byte, a minimum, a maximum if flagged.
fn limits(section: &[u8], at: usize) -> Result<usize> {
    let flags = *section.get(at).ok_or("limits run past the end")?;
    let at = leb(section, at + 1)?.1;
    if flags & 1 == 1 {
        Ok(leb(section, at)?.1)
    } else {
        Ok(at)
    }
}

/// Unsigned LEB128 at `at`: the value and where the next field starts.
pub fn leb(bytes: &[u8], mut at: usize) -> Result<(u32, usize)> {
    let mut value = 0u64;
    for shift in (0..35).step_by(7) {
        let byte = *bytes.get(at).ok_or("a number runs past the end")?;
        at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return u32::try_from(value)
                .map(|v| (v, at))
                .map_err(|_| "a number too large".into());
        }
    }
    Err("a number longer than five bytes".into())
}

/// A length-prefixed name at `at`: the name and where the next field starts.
pub fn name_at(bytes: &[u8], at: usize) -> Result<(String, usize)> {
    let (len, start) = leb(bytes, at)?;
    let end = start + len as usize;
    let text = bytes.get(start..end).ok_or("a name runs past the end")?;
    Ok((String::from_utf8_lossy(text).into_owned(), end))
}

/// Appends `value` as unsigned LEB128.
pub fn push_leb(out: &mut Vec<u8>, mut value: u32) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Appends a length-prefixed name.
pub fn push_name(out: &mut Vec<u8>, name: &str) {
    push_leb(out, name.len() as u32);
    out.extend_from_slice(name.as_bytes());
}

/// Appends a section: id, size, body.
pub fn push_section(out: &mut Vec<u8>, id: u8, body: &[u8]) {
    out.push(id);
    push_leb(out, body.len() as u32);
    out.extend_from_slice(body);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leb_round_trips_at_the_byte_boundaries() {
        for value in [0, 1, 127, 128, 16_383, 16_384, u32::MAX] {
            let mut out = Vec::new();
            push_leb(&mut out, value);
            assert_eq!(leb(&out, 0).unwrap(), (value, out.len()), "{value}");
        }
        assert!(leb(&[0x80, 0x80], 0).is_err(), "cut short");
        assert!(leb(&[0xff; 6], 0).is_err(), "longer than five bytes");
    }

    #[test]
    fn reads_each_kind_of_import() {
        let mut body = Vec::new();
        push_leb(&mut body, 3);
        for (field, desc) in [
            ("f", &[0u8, 5][..]),
            ("mem", &[2, 1, 17, 20][..]),
            ("g", &[3, 0x7f, 0][..]),
        ] {
            push_name(&mut body, "env");
            push_name(&mut body, field);
            body.extend_from_slice(desc);
        }
        let imports = imports(&body).unwrap();
        let read: Vec<_> = imports
            .iter()
            .map(|i| (i.module.as_str(), i.field.as_str(), i.desc, i.is_function()))
            .collect();
        assert_eq!(
            read,
            vec![
                ("env", "f", &[0u8, 5][..], true),
                ("env", "mem", &[2, 1, 17, 20][..], false),
                ("env", "g", &[3, 0x7f, 0][..], false),
            ]
        );
        assert!(super::imports(&body[..body.len() - 1]).is_err());
    }

    #[test]
    fn leaves_out_the_exports_named() {
        let mut exports = Vec::new();
        push_leb(&mut exports, 3);
        for (name, kind, index) in [("keep", 0u8, 1u32), ("dead_a", 0, 300), ("memory", 2, 0)] {
            push_name(&mut exports, name);
            exports.push(kind);
            push_leb(&mut exports, index);
        }
        let mut module = b"\0asm\x01\0\0\0".to_vec();
        push_section(&mut module, 1, &[0]);
        push_section(&mut module, 7, &exports);
        push_section(&mut module, 10, &[0]);
        let (out, dropped) = without_exports(&module, |n| n.starts_with("dead")).unwrap();
        assert_eq!(dropped, 1);
        let sections = sections(&out).unwrap();
        let ids: Vec<u8> = sections.iter().map(|s| s.id).collect();
        assert_eq!(ids, [1, 7, 10]);
        let mut expected = Vec::new();
        push_leb(&mut expected, 2);
        for (name, kind, index) in [("keep", 0u8, 1u32), ("memory", 2, 0)] {
            push_name(&mut expected, name);
            expected.push(kind);
            push_leb(&mut expected, index);
        }
        assert_eq!(sections[1].body, &expected[..]);
        assert_eq!(
            without_exports(&module, |_| false).unwrap(),
            (module.clone(), 0)
        );
    }
}
