//! The console's lists keyed by id, all through one `For`. A `For` is
//! generic over its closures and its row's view, so each list written as
//! its own `<For>` carried its own copy of the keyed diff (4 to 20 KB of
//! wasm each). Here the closures are boxed and the rows type-erased, so
//! there is one copy per key type: `u64` for numbered rows, `String` for
//! the rest. A row is made from its key alone and reads what it shows from
//! a memo of its own, so a change to one entry redraws that row only.

use leptos::prelude::*;
use std::hash::Hash;
use std::sync::Arc;

/// The rows for `ids`, in their order, each made once by `row` from its key
/// and kept while its key stays in the list.
pub fn keyed_list<K>(
    ids: impl Fn() -> Vec<K> + Send + 'static,
    row: impl Fn(K) -> AnyView + Send + Sync + 'static,
) -> AnyView
where
    K: Eq + Hash + Clone + Send + Sync + 'static,
{
    each_key(Box::new(ids), Arc::new(row))
}

/// The one `For` per key type.
fn each_key<K>(
    ids: Box<dyn Fn() -> Vec<K> + Send>,
    row: Arc<dyn Fn(K) -> AnyView + Send + Sync>,
) -> AnyView
where
    K: Eq + Hash + Clone + Send + Sync + 'static,
{
    view! { <For each=ids key=K::clone children=move |k| row(k) /> }.into_any()
}
