//! The console's lists keyed by id, all through one keyed diff. The
//! closures are boxed and the keys numbered, so there is one copy of the
//! diff in all. A row is made from its key alone, under an owner of its
//! own, and reads what it shows from a memo of its own, so a change to one
//! entry redraws that row only; a row is kept while its key stays listed.

use crate::ui::markup::{end_marker, Markup, Wired};
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::Hash;
use std::rc::Rc;

/// The rows for `ids`, in their order, at the end of `parent` (an element
/// of `w`), each made once by `row` from its key (`None`: nothing shown)
/// and kept while its key stays in the list.
pub fn keyed_list<K>(
    w: &Wired,
    parent: &web_sys::Element,
    ids: impl Fn() -> Vec<K> + 'static,
    row: impl Fn(K) -> Option<Markup> + 'static,
) where
    K: Eq + Hash + Clone + 'static,
{
    let numbers = Rc::new(RefCell::new(Numbering::default()));
    let keys = numbers.clone();
    each_number(
        w,
        parent,
        Box::new(move || numbers.borrow_mut().number(ids())),
        Box::new(move |n| row(keys.borrow().key(n))),
    );
}

/// A row on the page: the owner of what it made, and its element.
struct Row {
    _owner: Owner,
    view: Option<Wired>,
}

/// The one keyed diff: rows whose number left the list are taken out and
/// disposed, new numbers get a row, and the rows are put in list order
/// before the list's end marker, moving only those out of place.
fn each_number(
    w: &Wired,
    parent: &web_sys::Element,
    ids: Box<dyn Fn() -> Vec<u64>>,
    row: Box<dyn Fn(u64) -> Option<Markup>>,
) {
    let end = end_marker(parent);
    let parent = parent.clone();
    // Rows belong to the list's owner, not to its effect's, which is
    // cleaned up each time the list changes. Held weakly: the list's owner
    // going disposes the rows at once, not when this effect's task ends.
    let owner = Owner::current().map(|o| o.downgrade());
    let kept: Rc<RefCell<HashMap<u64, Row>>> = Rc::default();
    w.keep(kept.clone());
    let rows = Rc::downgrade(&kept);
    w.effect(Box::new(move || {
        let Some(rows) = rows.upgrade() else {
            return;
        };
        let order = ids();
        untrack(|| {
            let mut old = std::mem::take(&mut *rows.borrow_mut());
            let mut new = HashMap::with_capacity(order.len());
            for &n in &order {
                let kept = old.remove(&n).unwrap_or_else(|| {
                    let row_owner = match owner.as_ref().and_then(|o| o.upgrade()) {
                        Some(list_owner) => list_owner.with(Owner::new),
                        None => Owner::new(),
                    };
                    let view = row_owner.with(|| row(n).map(Markup::build));
                    Row {
                        _owner: row_owner,
                        view,
                    }
                });
                new.insert(n, kept);
            }
            for gone in old.into_values() {
                if let Some(view) = &gone.view {
                    view.root().remove();
                }
            }
            let mut next = end.clone();
            for n in order.iter().rev() {
                if let Some(view) = &new[n].view {
                    let el: &web_sys::Node = view.root();
                    if el.next_sibling().as_ref() != Some(&next) {
                        let _ = parent.insert_before(el, Some(&next));
                    }
                    next = el.clone();
                }
            }
            *rows.borrow_mut() = new;
        });
    }));
}

/// A number for each key, the same for as long as the key stays in the
/// list, and never given to another key: what the diff compares.
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

    /// The key numbered `n` in the last list. The diff asks only for rows
    /// of that list, so it is there.
    fn key(&self, n: u64) -> K {
        self.by_number
            .get(&n)
            .cloned()
            .unwrap_or_else(|| panic!("keyed list: no key numbered {n}"))
    }
}
