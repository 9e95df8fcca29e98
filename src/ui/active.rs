//! The configuration in force (config.json with the dispatcher's settings),
//! shared read-only through context by the console.

use crate::config::Config;
use leptos::prelude::*;

#[derive(Debug, Clone)]
pub struct Active {
    pub file: Config,
    pub config: Config,
}

/// The configuration in force, for components.
pub fn use_active() -> Active {
    expect_context::<StoredValue<Active>>().get_value()
}
