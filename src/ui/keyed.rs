//! The console's lists keyed by id, all through one `For`. A `For` is
//! generic over its closures, its key and its row's view, so each list
//! written as its own `<For>` carried its own copy of the keyed diff (4 to
//! 20 KB of wasm each, compiled on the cold load's path as each list
//! mounts). Here the closures are boxed, the rows type-erased and the keys
//! numbered, so there is one copy in all. A row is made from its key alone
//! and reads what it shows from a memo of its own, so a change to one entry
//! redraws that row only.

use leptos::prelude::*;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

/// The rows for `ids`, in their order, each made once by `row` from its key
/// and kept while its key stays in the list.
pub fn keyed_list<K>(
    ids: impl Fn() -> Vec<K> + Send + 'static,
    row: impl Fn(K) -> AnyView + Send + Sync + 'static,
) -> AnyView
where
    K: Eq + Hash + Clone + Send + Sync + 'static,
{
    let numbers = Arc::new(Mutex::new(Numbering::default()));
    let keys = numbers.clone();
    each_number(
        Box::new(move || lock(&numbers).number(ids())),
        Arc::new(move |n| row(lock(&keys).key(n))),
    )
}

/// The one `For`.
fn each_number(
    ids: Box<dyn Fn() -> Vec<u64> + Send>,
    row: Arc<dyn Fn(u64) -> AnyView + Send + Sync>,
) -> AnyView {
    view! { <For each=ids key=|n| *n children=move |n| row(n) /> }.into_any()
}

fn lock<K>(numbers: &Mutex<Numbering<K>>) -> std::sync::MutexGuard<'_, Numbering<K>> {
    // Poisoned only by a panic, which ends the console (panic = "abort").
    numbers.lock().unwrap_or_else(|e| e.into_inner())
}

/// A number for each key, the same for as long as the key stays in the
/// list, and never given to another key: what `For` compares.
struct Numbering<K> {
    last: u64,
    by_key: HashMap<K, u64>,
    by_number: HashMap<u64, K>,
}

impl<K> Default for Numbering<K> {
    fn default() -> Self {
        Self {
            last: 0,
            by_key: HashMap::new(),
            by_number: HashMap::new(),
        }
    }
}

impl<K: Eq + Hash + Clone> Numbering<K> {
    /// The numbers of `keys`, in order; keys no longer listed are forgotten.
    fn number(&mut self, keys: Vec<K>) -> Vec<u64> {
        let mut by_key = HashMap::with_capacity(keys.len());
        let mut by_number = HashMap::with_capacity(keys.len());
        let numbers = keys
            .into_iter()
            .map(|key| {
                let n = match self.by_key.get(&key) {
                    Some(&n) => n,
                    None => {
                        self.last += 1;
                        self.last
                    }
                };
                by_number.insert(n, key.clone());
                by_key.insert(key, n);
                n
            })
            .collect();
        self.by_key = by_key;
        self.by_number = by_number;
        numbers
    }

    /// The key numbered `n` in the last list. `For` asks only for rows of
    /// that list, so it is there.
    fn key(&self, n: u64) -> K {
        self.by_number
            .get(&n)
            .cloned()
            .unwrap_or_else(|| panic!("keyed list: no key numbered {n}"))
    }
}
