//! Push-to-talk audio in the browser (docs/audio.md). In `browser` mode the
//! desk asks for the microphone when the voice link first comes online (or
//! at the first press of the talk key, as `audio.microphone` says),
//! turns what the AudioWorklet captures into frames that the floor allows
//! (`proto::audio::Uplink`: held before the grant, never without the floor),
//! encoded in Opus where the browser has it (`opus`, WebCodecs) or G.711,
//! writes them on the plugin socket, plays the current talker's frames
//! through the jitter buffer, names each call's talker in step with that
//! sound (`proto::audio::Audible`), keeps the last transmissions heard and
//! sent for instant replay (`proto::audio::Recorder`), and sounds the
//! permit and refusal tones. In `plugin` mode it does nothing: the plugin
//! owns the devices.

mod capture;
pub mod devices;
mod opus;
mod playback;
mod port;

pub use port::AudioPort;

use crate::config::{AudioCodec, AudioConfig, AudioMode, MicAsk};
use crate::io::timer::Timer;
use crate::io::voice::VoiceLink;
use crate::journal::{Journal, Kind, Source};
use crate::reactive::{effect, Memo, RwSignal, StoredValue};
use crate::time::now_ms;
use playback::Player;
use proto::audio::{
    mulaw_frame, opus_check, Audible, Codec, Frame, FrameKind, Recorder, Ticket, Uplink,
    UplinkMode, SAMPLE_RATE,
};
use proto::id::BigId;
use proto::voice::{Link, PttError, PttState, Talker};
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
    /// Each call's talker in step with the sound heard (`Audible::shown`);
    /// a call not listed shows the plugin's word.
    pub shown: RwSignal<Vec<(BigId, Option<Talker>)>>,
    /// The transmission being replayed.
    pub replaying: RwSignal<Option<u64>>,
    /// Transmissions whose audio went to make room (a count): what offers a
    /// replay looks again ([`AudioDesk::can_replay`]) when it moves.
    pub replays_dropped: RwSignal<u32>,
    /// The microphone in use (its device id), and whether the one chosen
    /// was gone so the default was opened instead.
    pub mic_device: RwSignal<String>,
    pub device_gone: RwSignal<bool>,
    /// Calls with an Opus decoder open: one each while the call lasts.
    pub decoders: RwSignal<usize>,
    _engine: StoredValue<Option<Rc<RefCell<Engine>>>>,
}

/// The browser side: the uplink once the microphone is ready, the player.
pub(crate) struct Engine {
    port: AudioPort,
    mode: UplinkMode,
    uplink: Option<Uplink>,
    /// `audio.codec`: whether Opus may be sent.
    codec: AudioCodec,
    /// The Opus encoder, where the browser has one and Opus may be sent.
    encoder: Option<opus::Encoder>,
    /// A transmission began and its first frame is not on the wire yet.
    first_due: bool,
    /// The microphone's graph, kept alive while the console runs.
    capture: Option<capture::Capture>,
    player: Option<Player>,
    /// When each talker's frames play, for the name shown.
    audible: Audible,
    /// Wakes [`Engine::show_talkers`] when the talker shown may change.
    talker_timer: Option<Timer>,
    recorder: Recorder,
    ptt: Memo<PttState>,
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
            shown: RwSignal::new(Vec::new()),
            replaying: RwSignal::new(None),
            replays_dropped: RwSignal::new(0),
            mic_device: RwSignal::new(String::new()),
            device_gone: RwSignal::new(false),
            decoders: RwSignal::new(0),
            _engine: StoredValue::new(None),
        };
        if config.mode == AudioMode::Plugin {
            desk.mic.set(MicStatus::PluginOwned);
            return desk;
        }
        let engine = Rc::new(RefCell::new(Engine {
            port: voice.audio_port(),
            mode: UplinkMode::Off,
            uplink: None,
            codec: config.codec,
            encoder: None,
            first_due: false,
            capture: None,
            player: None,
            audible: Audible::default(),
            talker_timer: None,
            recorder: Recorder::default(),
            ptt: voice.ptt(),
            journal,
            desk,
        }));
        desk._engine = StoredValue::new(Some(engine.clone()));
        let weak = Rc::downgrade(&engine);
        engine.borrow_mut().talker_timer = Some(Timer::new(move || {
            if let Some(e) = weak.upgrade() {
                e.borrow_mut().show_talkers();
            }
        }));
        let weak = Rc::downgrade(&engine);
        voice.audio_port().listen(move |bytes| {
            if let Some(e) = weak.upgrade() {
                let mut e = e.borrow_mut();
                if let Err(why) = e.received(bytes) {
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
        effect(move || {
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
        effect(move || {
            let (mode, refused, pressed) = ptt.with(|p| {
                let refused = matches!(p.error, Some(PttError::Server(_)));
                (UplinkMode::of(p), refused, p.key_down_at)
            });
            if let Some(e) = on_floor.upgrade() {
                e.borrow_mut().follow(mode, refused, pressed);
            }
        });
        let on_talker = Rc::downgrade(&engine);
        effect(move || {
            ptt.track();
            if let Some(e) = on_talker.upgrade() {
                let mut e = e.borrow_mut();
                e.show_talkers();
                e.forget_ended_calls();
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

impl AudioDesk {
    fn engine(&self) -> Option<Rc<RefCell<Engine>>> {
        self._engine.try_with_value(|e| e.clone()).flatten()
    }

    /// Keeps the microphone (or, `speaker`, the speaker) `id` chosen ("":
    /// the default) and uses it at once: capture re-opens on the new
    /// microphone if it was open or failed.
    pub fn choose_device(&self, speaker: bool, id: String) {
        devices::keep(speaker, &id);
        let Some(engine) = self.engine() else { return };
        if speaker {
            if let Some(p) = engine.borrow().player.as_ref() {
                devices::set_sink(p.context(), &id, self.device_gone);
            }
        } else if !matches!(
            self.mic.get_untracked(),
            MicStatus::NotAsked | MicStatus::Asking
        ) {
            // Dropping the capture lets the old microphone go.
            engine.borrow_mut().capture = None;
            capture::open(engine);
        }
    }

    /// Whether `transmission`'s audio is kept for replay.
    pub fn can_replay(&self, transmission: u64) -> bool {
        self.engine()
            .is_some_and(|e| e.borrow().recorder.has(transmission))
    }

    /// Plays `transmission` again through `session`'s volume, or stops it
    /// if it is the one playing. Opus is decoded first (a few ms).
    pub fn replay(&self, session: &BigId, transmission: u64) {
        let Some(engine) = self.engine() else { return };
        let again = self.replaying.get_untracked() != Some(transmission);
        let kept = again
            .then(|| engine.borrow().recorder.replay(transmission))
            .flatten();
        if let Some(player) = engine.borrow_mut().player.as_mut() {
            player.stop_replay();
        }
        let Some(kept) = kept else { return };
        match kept.codec {
            Codec::Mulaw => {
                let samples = kept.mulaw_samples();
                play_replay(&engine, session, transmission, &samples, SAMPLE_RATE as f32);
            }
            Codec::Opus => {
                let session = session.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    match opus::decode_all(&kept.slots).await {
                        Ok(d) => play_replay(&engine, &session, transmission, &d.samples, d.rate),
                        Err(why) => engine.borrow().note(format!("replay: {why}")),
                    }
                });
            }
        }
    }
}

/// Plays a replay's samples; the desk shows it playing.
fn play_replay(
    engine: &Rc<RefCell<Engine>>,
    session: &BigId,
    transmission: u64,
    samples: &[f32],
    rate: f32,
) {
    let mut e = engine.borrow_mut();
    let desk = e.desk;
    if let Some(player) = e.player.as_mut() {
        if player.replay(session, samples, rate).is_ok() {
            desk.replaying.set(Some(transmission));
        }
    }
}

/// The codec of the uplink's transmissions: Opus where `audio.codec`
/// allows it and the browser encodes it (the encoder, made once, then
/// hands its packets to [`Engine::encoded`]), else G.711.
async fn uplink_codec(engine: &Rc<RefCell<Engine>>) -> Codec {
    let (allowed, made) = {
        let e = engine.borrow();
        (
            e.codec == AudioCodec::Auto,
            e.encoder.as_ref().map(|x| x.working()),
        )
    };
    match made {
        Some(true) => return Codec::Opus,
        Some(false) => return Codec::Mulaw,
        None if !allowed || !opus::Encoder::supported().await => return Codec::Mulaw,
        None => {}
    }
    let (on_packet, on_error) = (Rc::downgrade(engine), Rc::downgrade(engine));
    let made = opus::Encoder::new(
        move |ticket, packet| {
            if let Some(e) = on_packet.upgrade() {
                e.borrow_mut().encoded(ticket, packet);
            }
        },
        move |why| {
            if let Some(e) = on_error.upgrade() {
                e.borrow_mut().encoder_failed(why);
            }
        },
    );
    let mut e = engine.borrow_mut();
    match made {
        Ok(encoder) => {
            e.encoder = Some(encoder);
            Codec::Opus
        }
        Err(why) => {
            e.note(format!("Opus encoder: {}", opus::described(&why)));
            Codec::Mulaw
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
    /// The floor moved (the key went down at `pressed`): start or stop
    /// capture's stream, send what was held on a grant (before anything
    /// else, it is the press-to-first-frame path), sound the tones, duck
    /// playback while talking.
    fn follow(&mut self, mode: UplinkMode, refused: bool, pressed: u64) {
        let was = std::mem::replace(&mut self.mode, mode.clone());
        if was == mode {
            return;
        }
        if mode == UplinkMode::Off {
            self.desk.level_in.set(0);
        } else if was == UplinkMode::Off {
            self.first_due = true;
        }
        let held = match (self.uplink.as_mut(), self.capture.as_ref()) {
            (Some(up), Some(capture)) => {
                let followed = up.follow(now_ms(), capture.frame(), pressed, mode.clone());
                if let Some(stream) = followed.stream {
                    capture.stream(stream);
                }
                followed.frames
            }
            _ => Vec::new(),
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
            if let Ok(f) = Frame::decode(&frame) {
                self.keep(&f, &Talker::Me);
            }
        }
    }

    /// A binary message from the plugin: the current talker's frame in one
    /// of the calls is played, kept for replay, and its talker shown when
    /// it plays.
    fn received(&mut self, bytes: &[u8]) -> Result<(), String> {
        let frame = Frame::decode(bytes).map_err(|e| e.reason)?;
        let h = &frame.header;
        if h.kind != FrameKind::Downlink {
            return Err(format!("{:?} frame", h.kind));
        }
        if h.codec == Codec::Opus {
            // The decoder would close on it, and its sound is not there.
            opus_check(&frame.payload).map_err(|e| format!("Opus packet: {e:?}"))?;
        }
        let talker = self.ptt.with_untracked(|p| {
            let t = p.session(&h.session)?.talker.clone();
            t.filter(|t| matches!(t, Talker::Member { id, .. } if *id == h.talker))
        });
        // Not (or no longer) the floor holder: not heard.
        let (Some(talker), Some(player)) = (talker, self.player.as_mut()) else {
            return Ok(());
        };
        let now = now_ms();
        let Some((at_ms, first)) = player.play(now, &frame)? else {
            return Ok(());
        };
        self.audible
            .scheduled(now, &h.session, &talker, at_ms, first);
        self.keep(&frame, &talker);
        if first {
            self.show_talkers();
        }
        Ok(())
    }

    /// Keeps `f` for replay under the transmission of `who` under way in
    /// its session.
    fn keep(&mut self, f: &Frame, who: &Talker) {
        let id = self.ptt.with_untracked(|p| {
            let s = p.session(&f.header.session)?;
            let t = s.transmissions.first()?;
            (t.ended.is_none() && &t.talker == who).then_some(t.id)
        });
        if let Some(id) = id {
            if self
                .recorder
                .record(id, f.header.codec, f.header.seq, &f.payload)
            {
                self.desk.replays_dropped.update(|n| *n += 1);
            }
        }
    }

    /// The player lets go of what calls that ended held.
    fn forget_ended_calls(&mut self) {
        let Some(player) = self.player.as_mut() else {
            return;
        };
        let live: Vec<BigId> = self
            .ptt
            .with_untracked(|p| p.sessions.iter().map(|s| s.id.clone()).collect());
        player.forget_calls_but(&live);
    }

    /// Publishes each call's talker as heard now, and wakes up when that
    /// may change next.
    fn show_talkers(&mut self) {
        let now = now_ms();
        let (shown, next) = self.ptt.with_untracked(|p| {
            let shown: Vec<_> = p
                .sessions
                .iter()
                .map(|s| (s.id.clone(), self.audible.shown(s, now).cloned()))
                .collect();
            (shown, self.audible.next_change(&p.sessions, now))
        });
        if self.desk.shown.with_untracked(|old| *old != shown) {
            self.desk.shown.set(shown);
        }
        if let Some(timer) = self.talker_timer.as_mut() {
            match next {
                Some(at) => timer.set_at(at),
                None => timer.cancel(),
            }
        }
    }

    /// Samples from the capture worklet, arrived at `now_ms`, the first
    /// taken at capture frame `frame`.
    fn captured(&mut self, now_ms: u64, frame: u64, samples: &[f32]) {
        let Some(up) = self.uplink.as_mut() else {
            return;
        };
        let shown = rounded(rms(samples));
        if *up.mode() != UplinkMode::Off && self.desk.level_in.get_untracked() != shown {
            self.desk.level_in.set(shown);
        }
        let mut frames = Vec::new();
        for pcm in up.captured(now_ms, frame, samples) {
            match pcm.ticket.codec {
                Codec::Mulaw => frames.extend(up.encoded(pcm.ticket, mulaw_frame(&pcm.samples))),
                // Answered in Engine::encoded. A frame the encoder will not
                // take is lost: its failure is journaled once, and the next
                // transmission is in G.711.
                Codec::Opus => {
                    if let Some(encoder) = self.encoder.as_mut() {
                        let _ = encoder.encode(&pcm);
                    }
                }
            }
        }
        self.send(frames);
    }

    /// The encoder's packet for the frame of `ticket`: sent now if the
    /// floor allows, held before the grant, else dropped.
    fn encoded(&mut self, ticket: Ticket, packet: Vec<u8>) {
        let Some(up) = self.uplink.as_mut() else {
            return;
        };
        if let Some(frame) = up.encoded(ticket, packet) {
            self.send(vec![frame]);
        }
    }

    /// The Opus encoder stopped: transmissions from the next one are in G.711.
    fn encoder_failed(&mut self, why: String) {
        self.note(format!(
            "Opus encoder: {why}; sending G.711 from the next press"
        ));
        if let Some(up) = self.uplink.as_mut() {
            up.set_codec(Codec::Mulaw);
        }
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
