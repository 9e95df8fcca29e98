//! Push-to-talk audio in the browser (docs/audio.md). In `browser` mode the
//! desk asks for the microphone when the voice link first comes online (or
//! at the first press of the talk key, as `audio.microphone` says),
//! turns what the AudioWorklet captures into frames that the floor allows
//! (`proto::audio::Uplink`: held before the grant, never without the floor),
//! writes them on the plugin socket, plays the current talker's frames
//! through the jitter buffer, and sounds the permit and refusal tones. In
//! `plugin` mode it does nothing: the plugin owns the devices.

mod capture;
mod playback;
mod port;

pub use port::AudioPort;

use crate::config::{AudioConfig, AudioMode, MicAsk};
use crate::io::voice::VoiceLink;
use crate::journal::{Journal, Kind, Source};
use leptos::prelude::*;
use playback::Player;
use proto::audio::{Uplink, UplinkMode};
use proto::id::BigId;
use proto::voice::{Link, PttError};
use std::cell::RefCell;
use std::rc::Rc;

/// The microphone, as the dispatcher is told about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MicStatus {
    /// `plugin` mode: the plugin owns microphone and speaker.
    PluginOwned,
    /// Not asked yet (asked at voice login, or at the first talk).
    NotAsked,
    Asking,
    Ready,
    /// The dispatcher (or the browser's settings) refused it.
    Refused,
    /// Refused because the console runs in a frame without `allow="microphone"`.
    BlockedByFrame,
    /// No microphone is connected.
    Missing,
    /// Not offered at all: the page is not a secure context (https).
    Unavailable,
    /// Anything else (in use by another program, the capture module failed).
    Failed,
}

impl MicStatus {
    /// What getUserMedia's error named `error` (a DOMException's name) means
    /// for the dispatcher; `framed_without_microphone` when the console runs
    /// in a frame whose permissions policy does not allow the microphone.
    pub fn from_refusal(error: &str, framed_without_microphone: bool) -> Self {
        match error {
            "NotAllowedError" | "SecurityError" if framed_without_microphone => {
                Self::BlockedByFrame
            }
            "NotAllowedError" | "SecurityError" => Self::Refused,
            "NotFoundError" | "OverconstrainedError" => Self::Missing,
            _ => Self::Failed,
        }
    }
}

/// How loud one call plays.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Volume {
    /// 0 to 1.
    pub level: f32,
    pub muted: bool,
}

impl Default for Volume {
    fn default() -> Self {
        Self {
            level: 1.0,
            muted: false,
        }
    }
}

impl Volume {
    /// The gain its talker plays at.
    pub fn gain(&self) -> f32 {
        if self.muted {
            0.0
        } else {
            self.level.clamp(0.0, 1.0)
        }
    }
}

/// What the audio panel shows.
#[derive(Clone, Copy)]
pub struct AudioDesk {
    pub mic: RwSignal<MicStatus>,
    /// When the microphone is asked for.
    pub ask: MicAsk,
    /// The microphone's level (RMS, in percent of full scale) while capturing.
    pub level_in: RwSignal<u8>,
    /// The speaker's level as an analyser on the playback path reads it (percent).
    pub level_out: RwSignal<u8>,
    /// Analyser readings with sound in them since the start.
    pub heard: RwSignal<u32>,
    /// Each call's volume, as the dispatcher set it (default: full).
    pub volumes: RwSignal<Vec<(BigId, Volume)>>,
    /// Transmissions heard, and the playout delay the last one got (ms from
    /// its first frame's arrival to its scheduled play), for the bench.
    pub playout: RwSignal<(u32, u64)>,
    _engine: StoredValue<Option<Rc<RefCell<Engine>>>, LocalStorage>,
}

/// The browser side: the uplink once the microphone is ready, the player.
pub(crate) struct Engine {
    port: AudioPort,
    mode: UplinkMode,
    uplink: Option<Uplink>,
    /// A transmission began and its first frame is not on the wire yet.
    first_due: bool,
    /// The microphone's graph, kept alive while the console runs.
    capture: Option<capture::Capture>,
    player: Option<Player>,
    journal: Journal,
    desk: AudioDesk,
}

impl AudioDesk {
    pub fn start(voice: VoiceLink, config: &AudioConfig, journal: Journal) -> Self {
        let mut desk = Self {
            mic: RwSignal::new(MicStatus::NotAsked),
            ask: config.microphone,
            level_in: RwSignal::new(0),
            level_out: RwSignal::new(0),
            heard: RwSignal::new(0),
            volumes: RwSignal::new(Vec::new()),
            playout: RwSignal::new((0, 0)),
            _engine: StoredValue::new_local(None),
        };
        if config.mode == AudioMode::Plugin {
            desk.mic.set(MicStatus::PluginOwned);
            return desk;
        }
        let engine = Rc::new(RefCell::new(Engine {
            port: voice.audio_port(),
            mode: UplinkMode::Off,
            uplink: None,
            first_due: false,
            capture: None,
            player: None,
            journal,
            desk,
        }));
        desk._engine = StoredValue::new_local(Some(engine.clone()));
        let weak = Rc::downgrade(&engine);
        voice.audio_port().listen(move |bytes| {
            if let Some(e) = weak.upgrade() {
                let ptt = voice.ptt().get_untracked();
                let mut e = e.borrow_mut();
                let result = e.player.as_mut().map(|p| p.received(bytes, &ptt));
                if let Some(Err(why)) = result {
                    e.note(format!("audio frame skipped: {why}"));
                }
            }
        });
        // The microphone is asked for once: when the link first comes
        // online, or at the first press of the talk key.
        let view = voice.view();
        let ptt = voice.ptt();
        let ask = config.microphone;
        let asked = StoredValue::new(false);
        let on_link = Rc::downgrade(&engine);
        Effect::new(move |_| {
            let online = view.with(|v| v.link == Link::Online);
            let due = match ask {
                MicAsk::Login => online,
                MicAsk::Talk => online && ptt.with(|p| p.key_held),
            };
            if due && !asked.get_value() {
                asked.set_value(true);
                if let Some(e) = on_link.upgrade() {
                    capture::open(e);
                }
            }
        });
        let on_floor = Rc::downgrade(&engine);
        Effect::new(move |_| {
            let (mode, refused) = ptt.with(|p| {
                let refused = matches!(p.error, Some(PttError::Server(_)));
                (UplinkMode::of(p), refused)
            });
            if let Some(e) = on_floor.upgrade() {
                e.borrow_mut().follow(mode, refused);
            }
        });
        desk
    }
}

impl AudioDesk {
    /// A call's volume, untracked.
    pub fn volume_untracked(&self, session: &BigId) -> Volume {
        self.volumes
            .try_with_untracked(|v| volume_of(v, session))
            .unwrap_or_default()
    }

    /// Sets a call's volume; its talker plays at it from now on.
    pub fn set_volume(&self, session: BigId, volume: Volume) {
        self.volumes
            .update(|v| match v.iter_mut().find(|(id, _)| *id == session) {
                Some((_, old)) => *old = volume,
                None => v.push((session.clone(), volume)),
            });
        let engine = self._engine.with_value(|e| e.clone());
        if let Some(engine) = engine {
            if let Some(player) = engine.borrow_mut().player.as_mut() {
                player.set_gain(&session, volume.gain());
            }
        }
    }
}

/// `session`'s volume in `volumes`, full if never set.
fn volume_of(volumes: &[(BigId, Volume)], session: &BigId) -> Volume {
    volumes
        .iter()
        .find(|(id, _)| id == session)
        .map(|(_, v)| *v)
        .unwrap_or_default()
}

impl Engine {
    /// The floor moved: send what was held on a grant (before anything
    /// else, it is the press-to-first-frame path), sound the tones, duck
    /// playback while talking.
    fn follow(&mut self, mode: UplinkMode, refused: bool) {
        let was = std::mem::replace(&mut self.mode, mode.clone());
        if was == mode {
            return;
        }
        if mode == UplinkMode::Off {
            self.desk.level_in.set(0);
        } else if was == UplinkMode::Off {
            self.first_due = true;
        }
        let held = match self.uplink.as_mut() {
            Some(up) => up.follow(crate::time::now_ms(), mode.clone()),
            None => Vec::new(),
        };
        self.send(held);
        if let Some(player) = self.player.as_ref() {
            match (&was, &mode) {
                (UplinkMode::Hold, UplinkMode::Send(_)) => player.permit_tone(),
                (UplinkMode::Hold, UplinkMode::Off) if refused => player.refusal_tone(),
                _ => {}
            }
            player.duck(mode != UplinkMode::Off);
        }
    }

    fn send(&mut self, frames: Vec<Vec<u8>>) {
        if frames.is_empty() {
            return;
        }
        if std::mem::take(&mut self.first_due) {
            // Press to first frame on the wire, for `cargo xtask bench`.
            crate::time::mark("dd-audio-first-frame");
        }
        for frame in frames {
            self.port.send(&frame);
        }
    }

    /// Samples from the capture worklet, the last taken at `now_ms`.
    fn captured(&mut self, now_ms: u64, samples: &[f32]) {
        let Some(up) = self.uplink.as_mut() else {
            return;
        };
        let shown = rounded(rms(samples));
        if *up.mode() != UplinkMode::Off && self.desk.level_in.get_untracked() != shown {
            self.desk.level_in.set(shown);
        }
        let frames = up.captured(now_ms, samples);
        self.send(frames);
    }

    fn note(&self, text: String) {
        self.journal.log(Source::Voice, Kind::Error, text);
    }
}

/// RMS of float samples.
fn rms(samples: &[f32]) -> f32 {
    if samples.is_empty() {
        return 0.0;
    }
    (samples.iter().map(|x| x * x).sum::<f32>() / samples.len() as f32).sqrt()
}

/// A level (0 to 1) in whole percent, so a meter does not re-render for
/// noise; an integer, too, because formatting a float for the attribute
/// would pull float printing into the bundle (6.5 KB).
fn rounded(level: f32) -> u8 {
    (level.clamp(0.0, 1.0) * 100.0).round() as u8
}
