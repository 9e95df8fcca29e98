//! The configuration in force (config.json with the dispatcher's settings),
//! shared read-only through context by the console, and the way to restart
//! the console with another one.

use crate::config::Config;
use crate::reactive::{StoredValue, WriteSignal};

#[derive(Debug, Clone)]
pub struct Active {
    pub file: Config,
    pub config: Config,
}

/// The configuration in force, for components.
pub fn use_active() -> Active {
    crate::reactive::expect_context::<StoredValue<Active>>().get_value()
}

/// Restarts the console with another configuration: new shells for new
/// addresses, the journal kept (`configure` from a portal).
#[derive(Clone, Copy)]
pub struct Restart(pub WriteSignal<Config>);

impl Restart {
    /// After the current task, so that an answer already on its way goes
    /// first and the caller's own console is not torn down under it.
    pub fn with(self, config: Config) {
        leptos::task::spawn_local(async move { self.0.set(config) });
    }
}
