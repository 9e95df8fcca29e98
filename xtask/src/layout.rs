//! The order of the wasm's functions, chosen for gzip.
//!
//! gzip finds repeats only within the last 32 KB it has read, and rustc lays
//! functions out in an order that has nothing to do with their code: two
//! instantiations of one generic, or two closures that fill in a similar
//! row, sit far apart. [`order`] picks the order greedily. After each
//! function comes the one that costs the fewest bits per byte after what
//! came before, in a model of deflate's repeat finding ([`Lz77`]); only the
//! functions most alike the last one (sharing the most shingles of bytes,
//! estimated by MinHash) are tried.
//! [`with_order_names`] names the functions by their place in it, and
//! wasm-opt (`--reorder-functions-by-name`, in `dist`) lays them out so.
//!
//! Measured on the console (gzip -9 of the wasm): about 9 KB less than in
//! wasm-opt's by-name order. The behaviour does not change: the order of
//! functions in a module carries no meaning.

use std::collections::HashMap;
use std::path::Path;

use crate::wasm;
use crate::ws::{run, Workspace};
use crate::Result;

/// Bytes in a shingle: about the shortest repeat deflate can use (3).
const SHINGLE: usize = 4;
/// MinHash values kept per function.
const SIGNATURE: usize = 64;
/// How many of the most alike functions are tried at each step. Measured on
/// the console: 32 gives 0.8 KB more gzipped, 128 about the same as 64.
const CANDIDATES: usize = 64;

/// Lays out the functions of the wasm at `path` in [`order`], in place:
/// wasm-opt sorts them by the names [`with_order_names`] gives, then
/// optimises again (`-Oz`, as trunk did; see index.html). Without it,
/// binaryen's reading the module back adds a scratch local to some
/// functions (+1.2 KB gzipped); with it, the order stays and a little more
/// is found. wasm-opt writes no name section (no `-g`).
pub fn lay_out(ws: &Workspace, path: &Path) -> Result<()> {
    let module = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let named = path.with_extension("named.wasm");
    std::fs::write(&named, with_order_names(&module)?)
        .map_err(|e| format!("cannot write {}: {e}", named.display()))?;
    let (from, to) = (named.to_string_lossy(), path.to_string_lossy());
    let wasm_opt = ws.node_bin().join("wasm-opt");
    let done = run(ws.command(&wasm_opt.to_string_lossy()).args([
        &*from,
        "--reorder-functions-by-name",
        "--low-memory-unused",
        "-Oz",
        "-o",
        &*to,
    ]));
    let _ = std::fs::remove_file(&named);
    done
}

/// The module with a `name` section that names each defined function by its
/// place in [`order`] (`00000`, `00001`, …), so that sorting by name lays
/// them out in that order. Any other `name` section is left out.
pub fn with_order_names(module: &[u8]) -> Result<Vec<u8>> {
    let mut imported = 0;
    let mut bodies = Vec::new();
    let mut out = module[..8].to_vec();
    for section in wasm::sections(module)? {
        match section.id {
            0 if wasm::name_at(section.body, 0)?.0 == "name" => continue,
            2 => imported = wasm::imported_functions(section.body)?,
            10 => bodies = wasm::code_bodies(section.body)?,
            _ => {}
        }
        wasm::push_section(&mut out, section.id, section.body);
    }
    if bodies.len() >= 100_000 {
        return Err("more than 99 999 functions: five digits do not name them".into());
    }
    let mut place = vec![0; bodies.len()];
    for (at, function) in order(&bodies).into_iter().enumerate() {
        place[function] = at;
    }
    let mut names = Vec::new();
    wasm::push_leb(&mut names, bodies.len() as u32);
    for (function, at) in place.iter().enumerate() {
        wasm::push_leb(&mut names, imported + function as u32);
        wasm::push_name(&mut names, &format!("{at:05}"));
    }
    let mut custom = Vec::new();
    wasm::push_name(&mut custom, "name");
    wasm::push_section(&mut custom, 1, &names);
    wasm::push_section(&mut out, 0, &custom);
    Ok(out)
}

/// A greedy order of `bodies` for deflate, starting with the first body.
pub fn order(bodies: &[&[u8]]) -> Vec<usize> {
    let signatures: Vec<_> = bodies.iter().map(|b| signature(b)).collect();
    // For each place in a signature, the functions by their value there.
    let mut sharing: Vec<HashMap<u64, Vec<usize>>> = vec![HashMap::new(); SIGNATURE];
    for (f, signature) in signatures.iter().enumerate() {
        for (place, value) in signature.iter().enumerate() {
            sharing[place].entry(*value).or_default().push(f);
        }
    }
    let mut placed = vec![false; bodies.len()];
    let mut same = vec![0u8; bodies.len()];
    let mut order = Vec::with_capacity(bodies.len());
    let mut stream = Lz77::default();
    let mut last = 0;
    loop {
        placed[last] = true;
        order.push(last);
        stream.push(&framed(bodies[last]));
        if order.len() == bodies.len() {
            return order;
        }
        // The most alike first; ties (and the unalike) by index, so the
        // order is the same each build.
        let mut alike = Vec::new();
        for (place, value) in signatures[last].iter().enumerate() {
            for &f in &sharing[place][value] {
                if !placed[f] {
                    if same[f] == 0 {
                        alike.push(f);
                    }
                    same[f] += 1;
                }
            }
        }
        alike.sort_unstable_by_key(|&f| (std::cmp::Reverse(same[f]), f));
        let unalike = (0..bodies.len()).filter(|&f| !placed[f] && same[f] == 0);
        let tried: Vec<usize> = alike
            .iter()
            .copied()
            .chain(unalike)
            .take(CANDIDATES)
            .collect();
        for &f in &alike {
            same[f] = 0;
        }
        // The fewest bits per byte; the most alike on a tie.
        let mut best = (tried[0], u64::MAX, 1);
        for f in tried {
            let bytes = framed(bodies[f]);
            let bits = stream.cost(&bytes);
            let (_, best_bits, best_len) = best;
            if best_bits == u64::MAX || bits * best_len < best_bits * bytes.len() as u64 {
                best = (f, bits, bytes.len() as u64);
            }
        }
        last = best.0;
    }
}

/// The body as the code section holds it: its size, then the body.
fn framed(body: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(body.len() + 5);
    wasm::push_leb(&mut bytes, body.len() as u32);
    bytes.extend_from_slice(body);
    bytes
}

/// deflate's window and its shortest and longest repeat.
const WINDOW: usize = 32 * 1024;
const MIN_MATCH: usize = 4;
const MAX_MATCH: usize = 258;
/// Earlier places tried for each repeat (zlib -9 tries up to 4096; more
/// here finds little and costs time).
const CHAIN: usize = 32;
const HASH_BITS: u32 = 16;

/// A model of deflate's LZ77 half: what has been written, indexed by the
/// hash of every 4 bytes, and the cost in bits of what would come next,
/// coded with deflate's fixed Huffman codes.
struct Lz77 {
    bytes: Vec<u8>,
    /// The last place each hash was seen, plus one (0: never).
    head: Vec<u32>,
    /// For each place, the place before it with the same hash, plus one.
    prev: Vec<u32>,
}

impl Default for Lz77 {
    fn default() -> Self {
        Self {
            bytes: Vec::new(),
            head: vec![0; 1 << HASH_BITS],
            prev: Vec::new(),
        }
    }
}

impl Lz77 {
    /// Appends `data` to what has been written.
    fn push(&mut self, data: &[u8]) {
        self.write(data, &mut Vec::new());
    }

    /// The bits `data` would take if written next; nothing is kept.
    fn cost(&mut self, data: &[u8]) -> u64 {
        let (len, mut undo) = (self.bytes.len(), Vec::new());
        let bits = self.write(data, &mut undo);
        for (hash, old) in undo.into_iter().rev() {
            self.head[hash] = old;
        }
        self.bytes.truncate(len);
        self.prev.truncate(len);
        bits
    }

    /// Appends `data`, parsing it greedily into literals and repeats, and
    /// returns its cost in bits; each `head` entry overwritten goes to `undo`.
    fn write(&mut self, data: &[u8], undo: &mut Vec<(usize, u32)>) -> u64 {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(data);
        let end = self.bytes.len();
        let mut bits = 0;
        let mut at = start;
        while at < end {
            let (len, distance) = self.longest_repeat(at, end);
            if len >= MIN_MATCH {
                bits += repeat_bits(len, distance);
            } else {
                bits += if self.bytes[at] < 144 { 8 } else { 9 };
            }
            for p in at..at + len.max(1) {
                self.index(p, undo);
            }
            at += len.max(1);
        }
        bits
    }

    /// Records place `p` under the hash of its 4 bytes (if it has 4).
    fn index(&mut self, p: usize, undo: &mut Vec<(usize, u32)>) {
        let link = match self.hash(p) {
            Some(h) => {
                undo.push((h, self.head[h]));
                std::mem::replace(&mut self.head[h], p as u32 + 1)
            }
            None => 0,
        };
        self.prev.push(link);
    }

    fn hash(&self, p: usize) -> Option<usize> {
        let four = self.bytes.get(p..p + MIN_MATCH)?;
        let x = u32::from_le_bytes([four[0], four[1], four[2], four[3]]);
        Some((x.wrapping_mul(0x9e37_79b1) >> (32 - HASH_BITS)) as usize)
    }

    /// The longest earlier repeat of the bytes at `at` (before `end`)
    /// within the window: its length and distance.
    fn longest_repeat(&self, at: usize, end: usize) -> (usize, usize) {
        let Some(h) = self.hash(at) else {
            return (0, 0);
        };
        let limit = (end - at).min(MAX_MATCH);
        let mut best = (0, 0);
        let mut link = self.head[h];
        for _ in 0..CHAIN {
            let Some(p) = (link as usize).checked_sub(1) else {
                break;
            };
            if at - p > WINDOW {
                break;
            }
            // A plain loop: xtask is built at opt-level 1, where iterator
            // adapters stay calls. A longer repeat must differ from the best
            // so far at its end: tried first.
            let bytes = &self.bytes;
            if best.0 < limit && bytes[p + best.0] == bytes[at + best.0] {
                let mut len = 0;
                while len < limit && bytes[p + len] == bytes[at + len] {
                    len += 1;
                }
                if len > best.0 {
                    best = (len, at - p);
                }
            }
            link = self.prev[p];
        }
        best
    }
}

/// A repeat in deflate's fixed codes: a length code of 7 or 8 bits and its
/// extra bits, a 5-bit distance code and its extra bits.
fn repeat_bits(len: usize, distance: usize) -> u64 {
    let extra = |n: usize, free: u32| (usize::BITS - n.leading_zeros()).saturating_sub(free);
    let length = if len < 115 { 7 } else { 8 } + extra(len - 3, 3);
    let distance = 5 + extra(distance - 1, 2);
    u64::from(length + distance)
}

/// The MinHash signature of the body's shingles: for each of [`SIGNATURE`]
/// hash functions, the least hash of any shingle. Two bodies agree at a
/// place about as often as they share shingles (Jaccard similarity).
fn signature(body: &[u8]) -> [u64; SIGNATURE] {
    let mut least = [u64::MAX; SIGNATURE];
    for shingle in body.windows(SHINGLE.min(body.len()).max(1)) {
        let mut x = 0u64;
        for &b in shingle {
            x = x << 8 | u64::from(b);
        }
        for (i, least) in least.iter_mut().enumerate() {
            *least = (*least).min(mix(x ^ KEYS[i]));
        }
    }
    least
}

/// splitmix64's finaliser: one of a family of well-mixed hashes, by key.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The keys of the hash family: splitmix64's sequence from 0.
const KEYS: [u64; SIGNATURE] = {
    let mut keys = [0; SIGNATURE];
    let mut i = 0;
    while i < SIGNATURE {
        keys[i] = (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        i += 1;
    }
    keys
};

#[cfg(test)]
mod tests {
    use super::*;

    /// A body of `len` bytes from a seeded generator: unlike any other seed's.
    fn noise(seed: u64, len: usize) -> Vec<u8> {
        (0..len as u64).map(|i| mix(seed << 32 | i) as u8).collect()
    }

    #[test]
    fn alike_bodies_are_laid_out_together() {
        // Four families of two, 10 KB each: as given, a body's twin is 40 KB
        // back, out of deflate's 32 KB reach.
        let bodies: Vec<Vec<u8>> = (0..8)
            .map(|f| {
                let mut body = noise(f % 4, 10_000);
                body[5_000] ^= (f / 4) as u8 + 1;
                body
            })
            .collect();
        let refs: Vec<&[u8]> = bodies.iter().map(Vec::as_slice).collect();
        let order = order(&refs);
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..8).collect::<Vec<_>>(), "a permutation");
        for pair in order.chunks(2) {
            assert_eq!(pair[0] % 4, pair[1] % 4, "twins together: {order:?}");
        }
        let deflated = |order: &[usize]| {
            let laid_out: Vec<u8> = order.iter().flat_map(|&f| framed(&bodies[f])).collect();
            crate::dist::gzip(&laid_out).len()
        };
        let given: Vec<usize> = (0..8).collect();
        assert!(
            deflated(&order) * 3 < deflated(&given) * 2,
            "a third smaller deflated"
        );
    }

    #[test]
    fn names_each_defined_function_by_its_place() {
        // One imported function; three defined ones, the last like the first.
        let (a, b) = (noise(1, 300), noise(2, 300));
        let mut code = Vec::new();
        wasm::push_leb(&mut code, 3);
        for body in [&a, &b, &a] {
            code.extend(framed(body));
        }
        let mut import = Vec::new();
        wasm::push_leb(&mut import, 1);
        wasm::push_name(&mut import, "env");
        wasm::push_name(&mut import, "f");
        import.extend([0, 0]);
        let mut old_names = Vec::new();
        wasm::push_name(&mut old_names, "name");
        let mut module = b"\0asm\x01\0\0\0".to_vec();
        wasm::push_section(&mut module, 2, &import);
        wasm::push_section(&mut module, 10, &code);
        wasm::push_section(&mut module, 0, &old_names);

        let named = with_order_names(&module).unwrap();
        let sections = wasm::sections(&named).unwrap();
        let ids: Vec<u8> = sections.iter().map(|s| s.id).collect();
        assert_eq!(ids, [2, 10, 0], "the old name section left out");
        assert_eq!(sections[1].body, &code[..], "the code as it was");
        let custom = sections[2].body;
        let (title, at) = wasm::name_at(custom, 0).unwrap();
        assert_eq!((title.as_str(), custom[at]), ("name", 1));
        let (_, at) = wasm::leb(custom, at + 1).unwrap();
        let (count, mut at) = wasm::leb(custom, at).unwrap();
        let mut names = Vec::new();
        for _ in 0..count {
            let (index, next) = wasm::leb(custom, at).unwrap();
            let (name, next) = wasm::name_at(custom, next).unwrap();
            names.push((index, name));
            at = next;
        }
        // Function 1 (a) first, its copy 3 next, then 2 (b).
        let expected = [(1, "00000"), (2, "00002"), (3, "00001")];
        let expected: Vec<_> = expected.iter().map(|(i, n)| (*i, n.to_string())).collect();
        assert_eq!(names, expected);
    }
}
