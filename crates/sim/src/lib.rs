//! Simulator of the four vendor back ends of Dispatch Desk (调度台), on one
//! port: the voice plugin WebSocket (document 000), click-to-call (001), the
//! meeting node and its event stream (002) and the IVR (003). It also serves
//! the built app (`dist/`) and a control API under `/_sim/` for tests and
//! the demo. Messages are built and parsed with `proto`'s types, so the
//! simulator speaks exactly what the console expects, quirks included
//! (rounded numeric ids next to exact `*Str` ids, `"true"` as a string,
//! `mcuHost` without a scheme, …).
//!
//! # Demo data ([`SimConfig::default`])
//!
//! | back end | credentials and data |
//! |---|---|
//! | voice | dispatcher `zydd` / `123456` (id 169905, name `zydd`); dispatcher `ddy2` / `654321` (id 169906); terminals 169918 `ptcs11`, 169919 `ptcs12`, 169920 `ptcs13`, 169921 `ptcs14` |
//! | meeting | conference `1061`, alias `zjvmr@myvmr.cn`; host pin `123456`, guest pin `654321`; checkJoin `joinAccount` `1061` + `joinPwd` `123456` is a host |
//! | calls | `access_token` `demo-token`; target ids 169918..169921 are callable, 169999 has no phone (用户未绑定手机号,请手动拨打010-56469588!); 169930 is busy (4 after ringing), 169931 never answers, 169932 hangs up 3 s after answering, 169933 is refused (无通讯子账户,请联系管理员!) |
//! | IVR | token `ABCDEFG`; numbers in `Faults::ivr_refused` are refused (被叫号码无效) |
//!
//! # Routes
//!
//! | path | what |
//! |---|---|
//! | `GET /voice` | voice plugin WebSocket |
//! | `POST /api/v3/meet/checkJoin.shtml` | meeting: checkJoin |
//! | `/api/services/{conf}/…` | meeting node: sessions, commands, `events`, `presentation.jpeg` |
//! | `GET /v1/app/call/{targetId}`, `callService`, `callCancel/{sid}`, `callState/{sid}` | click-to-call |
//! | `POST /ivr` | IVR voice menu call |
//! | `POST /relay/extension-status`, `POST /relay/call-record`, `GET /relay/events` | IVR callback relay (docs/callbacks.md) |
//! | `/_sim/…` | control API (see [`control`]): state, reset, faults, and timed outages per back end (HTML 5xx pages, slow replies, unanswered requests, a voice plugin silent after login) |
//! | `/config.json` | [`SimConfig::config_json`] when set, else the dist file |
//! | anything else | files of [`SimConfig::dist_dir`], `index.html` for unknown paths |
//!
//! No CORS headers are sent: the app and the back ends share one origin here.
//! Every response carries the security headers of [`headers`] (the
//! Content-Security-Policy the console boots under, and its companions).

pub mod call;
mod clock;
pub mod control;
mod form;
pub mod headers;
mod ids;
mod ivr;
mod meeting;
mod outage;
pub mod portal;
pub mod relay;
mod state;
mod statics;
mod voice;

pub use call::CallInfo;
pub use ivr::IvrRecord;
pub use meeting::{MeetingState, ParticipantInfo, SessionInfo};
pub use outage::{Backend, Outage};
pub use proto::meeting::{Deployment, Role};
pub use voice::{
    ConnId, Outgoing, SessionAudio, TalkScript, VoiceAudio, VoiceMemberState, VoiceSessionState,
    VoiceWorld,
};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::{broadcast, Notify};

/// A dispatcher who can log in to the voice plugin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub account: String,
    pub password: String,
    pub id: u64,
    pub name: String,
}

/// A terminal (radio or phone user) that can be called into a voice session
/// and, by id, with click-to-call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terminal {
    pub id: u64,
    pub name: String,
}

/// The meeting room the simulated meeting node hosts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conference {
    /// The numeric short number (`1061`).
    pub id: String,
    /// The email-form address (`zjvmr@myvmr.cn`); paths accept either.
    pub alias: String,
    pub name: String,
    pub host_pin: String,
    pub guest_pin: String,
}

#[derive(Debug, Clone)]
pub struct SimConfig {
    /// The built app (`dist/`). `None` or missing: `/` says how to build it.
    pub dist_dir: Option<PathBuf>,
    /// If set, served at `/config.json` instead of the dist file.
    pub config_json: Option<String>,
    pub users: Vec<User>,
    pub terminals: Vec<Terminal>,
    /// Which meeting cloud to imitate; switchable at run time with
    /// `POST /_sim/meeting/deployment`.
    pub deployment: Deployment,
    pub conference: Conference,
    /// The click-to-call `access_token`.
    pub call_token: String,
    /// Click-to-call targets that exist but have no phone bound.
    pub call_no_phone: Vec<u64>,
    /// Click-to-call targets that behave otherwise than answering.
    pub call_callees: Vec<(u64, call::Callee)>,
    /// The IVR `token`.
    pub ivr_token: String,
}

impl Default for SimConfig {
    /// The demo data listed in the crate documentation.
    fn default() -> Self {
        let user = |account: &str, password: &str, id, name: &str| User {
            account: account.into(),
            password: password.into(),
            id,
            name: name.into(),
        };
        let terminal = |id, name: &str| Terminal {
            id,
            name: name.into(),
        };
        Self {
            dist_dir: None,
            config_json: None,
            users: vec![
                user("zydd", "123456", 169905, "zydd"),
                user("ddy2", "654321", 169906, "ddy2"),
            ],
            terminals: vec![
                terminal(169918, "ptcs11"),
                terminal(169919, "ptcs12"),
                terminal(169920, "ptcs13"),
                terminal(169921, "ptcs14"),
            ],
            deployment: Deployment::Public,
            conference: Conference {
                id: "1061".into(),
                alias: "zjvmr@myvmr.cn".into(),
                name: "调度指挥会议室".into(),
                host_pin: "123456".into(),
                guest_pin: "654321".into(),
            },
            call_token: "demo-token".into(),
            call_no_phone: vec![169999],
            call_callees: vec![
                (169930, call::Callee::Busy),
                (169931, call::Callee::NeverAnswers),
                (169932, call::Callee::HangsUpAfter(3)),
                (169933, call::Callee::NoSubAccount),
            ],
            ivr_token: "ABCDEFG".into(),
        }
    }
}

/// Failures to inject. All off by default; [`Sim::reset`] clears them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    /// Voice WebSocket upgrades get HTTP 503 while set.
    pub voice_refuse_connections: bool,
    /// The voice plugin reads messages but answers nothing (reply timeouts).
    pub voice_silent: bool,
    /// requestMic (the floor) is answered this many ms late, so audio
    /// captured before the grant must be held (docs/audio.md).
    pub voice_floor_delay_ms: Option<u64>,
    /// The echo terminal plays back every this-many-th frame malformed
    /// (an Opus packet whose code 3 counts no frames; a G.711 payload one
    /// byte short), so a console's skipping of bad frames can be seen.
    pub voice_echo_malformed_every: Option<u32>,
    /// Every click-to-call request answers `returnCode` 500 with this `returnMsg`.
    pub calls_error: Option<String>,
    /// Calls stay in their state until `advance_call` (no progress by time).
    pub calls_manual: bool,
    /// Every meeting request (checkJoin included) answers HTTP 503; open
    /// event streams end.
    pub meeting_down: bool,
    /// Tokens issued from now on live this many seconds instead of 120
    /// (`expires` says so too).
    pub meeting_token_ttl_secs: Option<u64>,
    /// refresh_session answers this HTTP status with
    /// `{"status":"failed","result":"refresh failed"}` (a 5xx the console
    /// retries, a 4xx it takes as the token refused).
    pub meeting_refresh_status: Option<u16>,
    /// Every IVR request answers `ret` 500 with this message.
    pub ivr_error: Option<String>,
    /// IVR requests to these numbers are refused (`ret` 400, 被叫号码无效),
    /// the others go on: a broadcast with failures by target.
    pub ivr_refused: Vec<String>,
}

/// What the simulator holds, for tests and the demo's status (`GET /_sim/state`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimState {
    pub faults: Faults,
    /// Accounts logged in on at least one open voice socket, sorted.
    pub voice_accounts: Vec<String>,
    /// Open voice WebSockets, logged in or not.
    pub voice_sockets: usize,
    pub voice_sessions: Vec<VoiceSessionState>,
    /// Voice text messages ignored as malformed or of an unknown type.
    pub voice_rejected: u64,
    /// Binary (push-to-talk audio) messages received.
    pub voice_audio_frames: u64,
    pub calls: Vec<CallInfo>,
    pub meeting: MeetingState,
    pub ivr_requests: Vec<IvrRecord>,
    /// The outages in force ([`Sim::set_outage`]).
    #[serde(default)]
    pub outages: BTreeMap<Backend, Outage>,
}

/// The simulator: cheap to clone, all clones share one state.
#[derive(Clone)]
pub struct Sim {
    shared: Arc<Shared>,
}

struct Shared {
    cfg: SimConfig,
    state: Mutex<state::Inner>,
    /// Meeting events go to every open event stream, which picks its own.
    /// They are sent while the state lock is held, so a stream that
    /// subscribes under the lock sees exactly the changes after its snapshot.
    meeting_events: broadcast::Sender<meeting::Pushed>,
    /// Woken whenever an outage is set, cleared or reset, so requests held
    /// by a hang look again.
    outage_changed: Notify,
    /// IVR callbacks to the consoles' streams.
    relay: relay::Relay,
}

impl Sim {
    pub fn new(cfg: SimConfig) -> Self {
        let (meeting_events, _) = broadcast::channel(256);
        let inner = state::Inner::new(&cfg, meeting_events.clone());
        Self {
            shared: Arc::new(Shared {
                cfg,
                state: Mutex::new(inner),
                meeting_events,
                outage_changed: Notify::new(),
                relay: relay::Relay::default(),
            }),
        }
    }

    pub fn relay(&self) -> &relay::Relay {
        &self.shared.relay
    }

    pub fn config(&self) -> &SimConfig {
        &self.shared.cfg
    }

    /// Back to a clean state: voice sockets are closed (so everyone is logged
    /// out), sessions, calls, meeting tokens and IVR records are forgotten,
    /// faults cleared, and open meeting event streams end.
    pub fn reset(&self) {
        let mut inner = self.lock();
        inner.sockets.drop_all();
        inner.meeting.end_all_streams();
        *inner = state::Inner::new(&self.shared.cfg, self.shared.meeting_events.clone());
        self.shared.outage_changed.notify_waiters();
    }

    /// Closes every open voice WebSocket abruptly (no close frame), as a
    /// network failure would.
    pub fn drop_voice_sockets(&self) {
        self.lock().sockets.drop_all();
    }

    pub fn set_faults(&self, f: Faults) {
        let mut inner = self.lock();
        if f.meeting_down {
            inner.meeting.end_all_streams();
        }
        inner.faults = f;
    }

    pub fn faults(&self) -> Faults {
        self.lock().faults.clone()
    }

    pub fn snapshot(&self) -> SimState {
        let mut inner = self.lock();
        let frozen = inner.faults.calls_manual;
        SimState {
            faults: inner.faults.clone(),
            voice_accounts: inner.voice.logged_in_accounts(),
            voice_sockets: inner.sockets.len(),
            voice_sessions: inner.voice.sessions(),
            voice_rejected: inner.voice.rejected,
            voice_audio_frames: inner.voice.audio_frames,
            calls: inner.calls.list(frozen),
            meeting: inner.meeting.snapshot(),
            ivr_requests: inner.ivr.clone(),
            outages: inner.outages.active(),
        }
    }

    /// Makes `backend` misbehave as `outage` for `lasting` (`None`: until
    /// [`clear_outage`](Self::clear_outage) or [`reset`](Self::reset)),
    /// replacing its previous outage. Refuses an outage the back end cannot
    /// have (see [`Outage::unfit_for`]).
    pub fn set_outage(
        &self,
        backend: Backend,
        outage: Outage,
        lasting: Option<Duration>,
    ) -> Result<(), String> {
        if let Some(why) = outage.unfit_for(backend) {
            return Err(why);
        }
        self.lock().outages.set(backend, outage, lasting);
        self.shared.outage_changed.notify_waiters();
        Ok(())
    }

    /// Ends `backend`'s outage now; held requests are answered.
    pub fn clear_outage(&self, backend: Backend) {
        self.lock().outages.clear(backend);
        self.shared.outage_changed.notify_waiters();
    }

    pub(crate) fn outage_changed(&self) -> tokio::sync::futures::Notified<'_> {
        self.shared.outage_changed.notified()
    }

    /// Makes a simulated terminal take (`on`) or leave the floor in every
    /// voice session it belongs to: memberGetMic / memberLostMic go to the
    /// dispatcher's sockets. Returns whether any session changed (a terminal
    /// cannot take a floor someone else holds).
    pub fn terminal_talk(&self, terminal_id: u64, on: bool) -> bool {
        let mut inner = self.lock();
        let out = inner.voice.terminal_talk(terminal_id, on);
        let changed = !out.is_empty();
        inner.deliver(out);
        changed
    }

    /// A simulated terminal hangs up in every voice session it is in: it
    /// goes idle, the dispatcher gets tempCallHangup with `reason`, the
    /// session goes on. Returns whether any session changed.
    pub fn voice_member_hang_up(&self, terminal_id: u64, reason: &str) -> bool {
        self.voice_script(|v| v.member_hang_up(terminal_id, reason))
    }

    /// From now on the terminal rings and never answers (`on`), or answers at once.
    pub fn voice_no_answer(&self, terminal_id: u64, on: bool) {
        self.lock().voice.set_no_answer(terminal_id, on);
    }

    /// Lets a dispatcher start a new voice session while one runs (`on`),
    /// or refuses the second createGroup (the default).
    pub fn voice_several_sessions(&self, on: bool) {
        self.lock().voice.set_several_sessions(on);
    }

    /// A ringing terminal stops ringing unanswered (无人接听). Returns
    /// whether it was ringing anywhere.
    pub fn voice_ring_out(&self, terminal_id: u64) -> bool {
        self.voice_script(|v| v.ring_out(terminal_id))
    }

    /// The voice plugin restarts: its sockets close and it forgets every
    /// login and session.
    pub fn voice_restart(&self) {
        let mut inner = self.lock();
        inner.sockets.drop_all();
        inner.voice.restart();
    }

    /// From now on the terminal plays back each transmission it hears once
    /// the dispatcher lets the floor go (`on`), or not (docs/audio.md).
    pub fn voice_echo(&self, terminal_id: u64, on: bool) {
        self.lock().voice.set_echo(terminal_id, on);
    }

    /// The push-to-talk audio frames heard: per session with their energy,
    /// and the malformed and refused ones.
    pub fn voice_audio(&self) -> VoiceAudio {
        self.lock().voice.audio()
    }

    fn voice_script(&self, act: impl FnOnce(&mut VoiceWorld) -> Vec<Outgoing>) -> bool {
        let mut inner = self.lock();
        let out = act(&mut inner.voice);
        let changed = !out.is_empty();
        inner.deliver(out);
        changed
    }

    /// Moves a call one state on (1 → 2 → 3; 3 and 4 stay). Returns the new
    /// `stateType`, or `None` for an unknown callSid.
    pub fn advance_call(&self, call_sid: &str) -> Option<u8> {
        let mut inner = self.lock();
        let frozen = inner.faults.calls_manual;
        inner.calls.advance(call_sid, frozen)
    }

    /// Makes every meeting token expire now, as if 120 s had passed.
    pub fn expire_meeting_tokens(&self) {
        self.lock().meeting.expire_all_tokens();
    }

    /// Switches the meeting cloud imitated (until the next reset).
    pub fn set_deployment(&self, deployment: Deployment) {
        self.lock().meeting.deployment = deployment;
    }

    /// Starts (`Some(presenter name)`) or stops (`None`) a presentation in
    /// the meeting: presentation_start + presentation_frame, or presentation_stop.
    pub fn meeting_present(&self, presenter: Option<String>) {
        self.lock().meeting.present(presenter);
    }

    /// One more presentation_frame of the presentation under way; false
    /// when nobody presents.
    pub fn meeting_frame(&self) -> bool {
        self.lock().meeting.next_frame()
    }

    /// Makes a participant the current speaker: a stage event. Returns false
    /// for an unknown uuid.
    pub fn meeting_speak(&self, participant_uuid: &str) -> bool {
        self.lock().meeting.speak(participant_uuid)
    }

    /// Someone joins the meeting from a device (protocol `sip`): in the
    /// waiting room when the meeting is locked and `role` is a guest.
    /// Returns its uuid.
    pub fn meeting_join(&self, name: &str, role: proto::meeting::Role) -> String {
        self.lock().meeting.script_join(name, role)
    }

    /// The meeting moves to another node (see `meeting::routes`): the old
    /// node refuses everything, its sessions and streams end. Returns the
    /// new node's number.
    pub fn meeting_move_node(&self) -> u32 {
        self.lock().meeting.move_node()
    }

    /// Every open meeting event stream ends (the console sees it drop).
    pub fn meeting_drop_streams(&self) {
        self.lock().meeting.end_all_streams();
    }

    /// Every open meeting event stream stays open but says nothing more.
    pub fn meeting_silence_streams(&self) {
        self.lock().meeting.silence_streams();
    }

    /// Locks (`true`) or unlocks the meeting without telling the event
    /// streams: the console learns it only from service_status.
    pub fn meeting_lock_quietly(&self, locked: bool) {
        self.lock().meeting.set_locked_quietly(locked);
    }

    /// A participant hangs up; false for an unknown uuid.
    pub fn meeting_leave(&self, participant_uuid: &str) -> bool {
        self.lock().meeting.script_leave(participant_uuid)
    }

    /// Never panics: a poisoned lock (a panic elsewhere while holding it)
    /// still holds consistent data for a simulator.
    fn lock(&self) -> MutexGuard<'_, state::Inner> {
        self.shared.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The whole simulator as one router.
pub fn app(sim: Sim) -> axum::Router {
    let outage =
        |backend| axum::middleware::from_fn_with_state((sim.clone(), backend), outage::rest);
    let origins = portal::configured_origins(&sim.shared.cfg);
    let router = axum::Router::new()
        .merge(voice::routes())
        .merge(meeting::routes().route_layer(outage(Backend::Meeting)))
        .merge(call::routes().route_layer(outage(Backend::Calls)))
        .merge(ivr::routes().route_layer(outage(Backend::Ivr)))
        .merge(relay::routes())
        .merge(control::routes())
        .merge(statics::routes(&sim.shared.cfg))
        .with_state(sim);
    // Only this origin and the portals of embed.origins may frame the console.
    let ancestors: Vec<&str> = std::iter::once("'self'")
        .chain(portal::ancestor_sources(&origins))
        .collect();
    headers::apply(router, &ancestors)
}

/// Serves [`app`] on `listener` until `shutdown` resolves. Long-lived
/// connections (voice sockets, event streams) are closed at shutdown so the
/// graceful stop does not wait for them forever.
pub async fn serve(
    listener: tokio::net::TcpListener,
    sim: Sim,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let closer = sim.clone();
    let signal = async move {
        shutdown.await;
        closer.with(|inner| {
            inner.sockets.drop_all();
            inner.meeting.end_all_streams();
            // Requests held by a hang would keep the graceful stop waiting.
            inner.outages = Default::default();
        });
        closer.shared.outage_changed.notify_waiters();
    };
    // No Nagle: a reply written right after a notification must not wait
    // for the browser's delayed ACK (up to 40 ms on push-to-talk's path).
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app(sim))
        .with_graceful_shutdown(signal)
        .await
}

impl Sim {
    /// How the route modules reach the state: never across an `.await`.
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut state::Inner) -> R) -> R {
        f(&mut self.lock())
    }
}
