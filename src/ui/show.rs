//! Conditions for `<Show>`, boxed. A `Show` is generic over its condition,
//! so each closure written in place carried its own copy of the memo and the
//! branch switching; with every condition one boxed type (children are
//! already type-erased, see `erase_components` in .cargo/config.toml) the
//! console has one copy.

/// What `<Show when=...>` takes in this console.
pub type Cond = Box<dyn Fn() -> bool + Send + Sync>;

/// `f` as a condition for `<Show>`.
pub fn cond(f: impl Fn() -> bool + Send + Sync + 'static) -> Cond {
    Box::new(f)
}
