//! The console's signals and memos: Leptos's, over one value type.
//!
//! Why: reactive_graph compiles its node code (arena slot, read and write
//! guards, subscribe, update, drop) once for every value type it holds, and
//! the console holds about forty. Here each value is boxed as `dyn Any`, so
//! that code is compiled once; per type there are only the thin typed
//! methods below. The names and methods are Leptos's, so a file imports
//! these beside the prelude and reads as before.
//!
//! The box is always of the wrapper's own `T`: only the wrapper's `new`
//! (and a memo's function) makes one, from a `T`; `set` and `update` change
//! the `T` in place, and the inner Leptos handle is private. So the
//! downcasts cannot fail, and are not checked in release builds.

#![allow(clippy::disallowed_types)] // the one place that names Leptos's own

use leptos::prelude::{
    Effect, LocalStorage, Notify as _, Track as _, Update as _, UpdateUntracked as _,
    UpdateValue as _, With as _, WithUntracked as _, WithValue as _,
};
use std::any::Any;
use std::fmt;
use std::marker::PhantomData;

type Boxed = Box<dyn Any + Send + Sync>;

// The downcasts below are unchecked: a checked one compiles a type
// comparison and a panic into each of about 90 typed methods, for a case
// that cannot happen (4.2 KB gzipped in all). Debug builds (the tests) check.

fn down<T: 'static>(b: &Boxed) -> &T {
    debug_assert!(b.is::<T>(), "a signal holds its own type");
    // SAFETY: the box holds a `T` (see the module's doc).
    unsafe { &*(&**b as *const (dyn Any + Send + Sync) as *const T) }
}

fn down_mut<T: 'static>(b: &mut Boxed) -> &mut T {
    debug_assert!(b.is::<T>(), "a signal holds its own type");
    // SAFETY: as in `down`.
    unsafe { &mut *(&mut **b as *mut (dyn Any + Send + Sync) as *mut T) }
}

/// A read of a value whose owner is gone: Leptos's own reads panic too, but
/// with the panic compiled into each typed method (about 1 KB gzipped).
#[cold]
#[inline(never)]
fn disposed() -> ! {
    panic!("Tried to access a reactive value that has already been disposed.")
}

/// Leptos's `expect_context`, with its panic compiled once rather than
/// for each type asked for.
pub fn expect_context<T: Clone + 'static>() -> T {
    leptos::prelude::use_context().unwrap_or_else(|| no_context())
}

#[cold]
#[inline(never)]
fn no_context() -> ! {
    panic!("a context the console provides is missing")
}

/// Copy and Clone for handles of any `T` (a derive would ask `T: Copy`).
macro_rules! handle {
    ($($name:ident),*) => {$(
        impl<T> Clone for $name<T> {
            fn clone(&self) -> Self {
                *self
            }
        }

        impl<T> Copy for $name<T> {}
    )*};
}

handle!(RwSignal, ReadSignal, WriteSignal, Memo, StoredValue);

/// The reading methods of a signal or memo, over the Leptos handle at
/// `self.<path>`. The `try_` ones do nothing, and answer `None`, once the
/// owner is gone: a late reply or timer may still reach it.
macro_rules! reading {
    ($name:ident, $($path:ident).+) => {
        impl<T: Send + Sync + 'static> $name<T> {
            pub fn get(&self) -> T
            where
                T: Clone,
            {
                self.with(T::clone)
            }

            pub fn get_untracked(&self) -> T
            where
                T: Clone,
            {
                self.with_untracked(T::clone)
            }

            pub fn with<U>(&self, f: impl FnOnce(&T) -> U) -> U {
                self.$($path).+.try_with(|b| f(down(b))).unwrap_or_else(|| disposed())
            }

            pub fn with_untracked<U>(&self, f: impl FnOnce(&T) -> U) -> U {
                self.$($path).+
                    .try_with_untracked(|b| f(down(b)))
                    .unwrap_or_else(|| disposed())
            }

            pub fn try_with_untracked<U>(&self, f: impl FnOnce(&T) -> U) -> Option<U> {
                self.$($path).+.try_with_untracked(|b| f(down(b)))
            }

            pub fn try_get_untracked(&self) -> Option<T>
            where
                T: Clone,
            {
                self.try_with_untracked(T::clone)
            }

            pub fn track(&self) {
                self.$($path).+.track();
            }
        }
    };
}

reading!(RwSignal, inner);
reading!(ReadSignal, signal.inner);
reading!(Memo, inner);

/// A read-write signal of `T`, as Leptos's `RwSignal`.
pub struct RwSignal<T> {
    inner: leptos::prelude::RwSignal<Boxed>,
    ty: PhantomData<fn() -> T>,
}

/// The same signal, as Leptos compares its own.
impl<T> PartialEq for RwSignal<T> {
    fn eq(&self, other: &Self) -> bool {
        self.inner == other.inner
    }
}

impl<T> Eq for RwSignal<T> {}

impl<T> fmt::Debug for RwSignal<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RwSignal")
    }
}

impl<T: Send + Sync + 'static> RwSignal<T> {
    pub fn new(value: T) -> Self {
        Self {
            inner: leptos::prelude::RwSignal::new(Box::new(value)),
            ty: PhantomData,
        }
    }

    pub fn set(&self, value: T) {
        self.update(|v| *v = value);
    }

    pub fn update(&self, f: impl FnOnce(&mut T)) {
        self.inner.update(|b| f(down_mut(b)));
    }

    pub fn update_untracked(&self, f: impl FnOnce(&mut T)) {
        self.inner.update_untracked(|b| f(down_mut(b)));
    }

    /// Tells its readers it changed, without changing it.
    pub fn notify(&self) {
        self.inner.notify();
    }

    /// Does nothing, and answers `None`, once the signal's owner is gone.
    pub fn try_update<U>(&self, f: impl FnOnce(&mut T) -> U) -> Option<U> {
        self.inner.try_update(|b| f(down_mut(b)))
    }

    pub fn try_set(&self, value: T) {
        self.try_update(|v| *v = value);
    }

    /// The same signal, for readers only.
    pub fn read_only(&self) -> ReadSignal<T> {
        ReadSignal { signal: *self }
    }

    /// The same signal, for writers only.
    pub fn write_only(&self) -> WriteSignal<T> {
        WriteSignal(*self)
    }
}

/// A signal that can only be read, as Leptos's `ReadSignal`.
pub struct ReadSignal<T> {
    signal: RwSignal<T>,
}

/// A signal that can only be written, as Leptos's `WriteSignal`.
pub struct WriteSignal<T>(RwSignal<T>);

impl<T: Send + Sync + 'static> WriteSignal<T> {
    pub fn set(&self, value: T) {
        self.0.set(value);
    }

    pub fn update(&self, f: impl FnOnce(&mut T)) {
        self.0.update(f);
    }
}

/// A derived value recomputed when what it read changes, and passed on
/// only when it differs from the last (`PartialEq`), as Leptos's `Memo`.
pub struct Memo<T> {
    inner: leptos::prelude::Memo<Boxed>,
    ty: PhantomData<fn() -> T>,
}

impl<T: PartialEq + Send + Sync + 'static> Memo<T> {
    pub fn new(f: impl Fn(Option<&T>) -> T + Send + Sync + 'static) -> Self {
        Self {
            inner: boxed_memo(
                Box::new(move |last| Box::new(f(last.map(down)))),
                changed::<T>,
            ),
            ty: PhantomData,
        }
    }
}

/// The one memo Leptos compiles: its function boxed too.
fn boxed_memo(
    f: Box<Compute>,
    changed: fn(Option<&Boxed>, Option<&Boxed>) -> bool,
) -> leptos::prelude::Memo<Boxed> {
    leptos::prelude::Memo::new_with_compare(f, changed)
}

type Compute = dyn Fn(Option<&Boxed>) -> Boxed + Send + Sync;

/// Leptos's own test for `Memo::new`, on the unboxed values.
fn changed<T: PartialEq + 'static>(last: Option<&Boxed>, new: Option<&Boxed>) -> bool {
    last.map(down::<T>) != new.map(down::<T>)
}

/// Runs `f` (in a task, as Leptos's `Effect::new`) and again whenever a
/// signal it read changes. Every effect is this one boxed `Effect`: Leptos
/// compiles an effect's task anew for each closure type.
pub fn effect(f: impl FnMut() + 'static) {
    boxed_effect(Box::new(f));
}

#[allow(clippy::disallowed_methods)]
fn boxed_effect(f: Box<dyn FnMut()>) {
    Effect::new(f);
}

/// A value kept beside the views, not reactive, as Leptos's `StoredValue`;
/// held in the thread's own storage (the console has one thread), so a
/// value need not be `Send`.
pub struct StoredValue<T> {
    inner: leptos::prelude::StoredValue<Box<dyn Any>, LocalStorage>,
    ty: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for StoredValue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StoredValue")
    }
}

impl<T: 'static> StoredValue<T> {
    pub fn new(value: T) -> Self {
        Self {
            inner: leptos::prelude::StoredValue::new_local(Box::new(value)),
            ty: PhantomData,
        }
    }

    pub fn get_value(&self) -> T
    where
        T: Clone,
    {
        self.with_value(T::clone)
    }

    pub fn with_value<U>(&self, f: impl FnOnce(&T) -> U) -> U {
        self.inner
            .try_with_value(|b| f(stored(b)))
            .unwrap_or_else(|| disposed())
    }

    pub fn set_value(&self, value: T) {
        self.update_value(|v| *v = value);
    }

    pub fn update_value(&self, f: impl FnOnce(&mut T)) {
        self.inner.update_value(|b| f(stored_mut(b)));
    }

    /// The `try_` methods do nothing, and answer `None`, once the value's
    /// owner is gone.
    pub fn try_with_value<U>(&self, f: impl FnOnce(&T) -> U) -> Option<U> {
        self.inner.try_with_value(|b| f(stored(b)))
    }

    pub fn try_get_value(&self) -> Option<T>
    where
        T: Clone,
    {
        self.try_with_value(T::clone)
    }

    pub fn try_update_value<U>(&self, f: impl FnOnce(&mut T) -> U) -> Option<U> {
        self.inner.try_update_value(|b| f(stored_mut(b)))
    }

    pub fn try_set_value(&self, value: T) {
        self.try_update_value(|v| *v = value);
    }
}

fn stored<T: 'static>(b: &Box<dyn Any>) -> &T {
    debug_assert!(b.is::<T>(), "a stored value holds its own type");
    // SAFETY: the box holds a `T`: only `StoredValue::new` makes one.
    unsafe { &*(&**b as *const dyn Any as *const T) }
}

fn stored_mut<T: 'static>(b: &mut Box<dyn Any>) -> &mut T {
    debug_assert!(b.is::<T>(), "a stored value holds its own type");
    // SAFETY: as in `stored`.
    unsafe { &mut *(&mut **b as *mut dyn Any as *mut T) }
}
