//! The video meeting panel: where the console will reach the meeting service.

use super::console::use_active;
use super::panel::Panel;
use crate::config::Deployment;
use crate::i18n::{use_i18n, Key};
use leptos::prelude::*;

#[component]
pub fn MeetingPanel() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_active().config;
    let deployment = match config.deployment {
        Deployment::Public => Key::DeploymentPublic,
        Deployment::Enterprise => Key::DeploymentEnterprise,
    };
    view! {
        <Panel id="meeting-panel" title=Key::PanelMeeting>
            <dl class="facts">
                <dt>{i18n.tr(Key::Deployment)}</dt>
                <dd id="meeting-deployment">{i18n.tr(deployment)}</dd>
                <dt>{i18n.tr(Key::Conference)}</dt>
                <dd>{config.meeting.join_account}</dd>
                <dt>{i18n.tr(Key::MeetingApiServer)}</dt>
                <dd>{shown_address(&config.meeting.api_server)}</dd>
            </dl>
        </Panel>
    }
}

/// An empty address means "this origin"; say so rather than show nothing.
pub fn shown_address(address: &str) -> String {
    if address.is_empty() {
        crate::io::page_origin()
    } else {
        address.to_owned()
    }
}
