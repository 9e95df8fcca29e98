//! Playback of the current talker: each downlink frame of the session's
//! talker goes through the jitter buffer and is scheduled on the audio
//! clock at its slot (G.711 decoded at once, Opus by the call's decoder,
//! which answers well before the slot); an analyser on the way to the speaker feeds the
//! level meter. Each call plays through its own gain (its volume, or
//! muted) before the common one that ducks while the dispatcher talks.
//! Also the replay of a kept transmission, on the same path, and the
//! talk-permit and refusal tones.

use super::opus::{Decoded, Decoder};
use super::AudioDesk;
use crate::journal::{Journal, Kind, Source};
use proto::audio::{mulaw_decode, Codec, Frame, JitterBuffer, Verdict, SAMPLE_RATE};
use proto::id::BigId;
use wasm_bindgen::prelude::*;
use web_sys::{
    AnalyserNode, AudioBufferSourceNode, AudioContext, AudioScheduledSourceNode, GainNode,
};

/// How often the speaker meter reads the analyser: as often as its window
/// (2048 samples, 43 ms at 48 kHz) is long, so no sound slips between reads.
const METER_MS: i32 = 40;
const WINDOW: usize = 2048;
/// An analyser reading above this RMS has sound in it.
const HEARD_RMS: f32 = 0.005;
/// Playback volume while the dispatcher talks.
const DUCKED: f32 = 0.25;

pub(super) struct Player {
    desk: AudioDesk,
    ctx: AudioContext,
    gain: GainNode,
    /// Each call's own volume, before `gain`.
    calls: Vec<(BigId, GainNode)>,
    /// Each call's Opus decoder; its outputs play at the audio clock's
    /// time given with their packet.
    decoders: Vec<(BigId, Decoder)>,
    journal: Journal,
    jitter: JitterBuffer,
    meter: Option<i32>,
    _read_meter: Closure<dyn FnMut()>,
    /// The replay playing, if any.
    replay: Option<AudioScheduledSourceNode>,
    /// Clears the desk's `replaying` when a replay has played to its end.
    replay_ended: Closure<dyn FnMut()>,
}

impl Player {
    pub fn new(ctx: &AudioContext, desk: AudioDesk, journal: Journal) -> Result<Self, JsValue> {
        let speaker = super::devices::chosen(true);
        if !speaker.is_empty() {
            super::devices::set_sink(ctx, &speaker, desk.device_gone);
        }
        let gain = ctx.create_gain()?;
        let analyser = ctx.create_analyser()?;
        analyser.set_fft_size(WINDOW as u32);
        gain.connect_with_audio_node(&analyser)?;
        analyser.connect_with_audio_node(&ctx.destination())?;
        let read_meter = Closure::<dyn FnMut()>::new(move || read_level(&analyser, desk));
        let meter = web_sys::window().and_then(|w| {
            w.set_interval_with_callback_and_timeout_and_arguments_0(
                read_meter.as_ref().unchecked_ref(),
                METER_MS,
            )
            .ok()
        });
        Ok(Self {
            desk,
            ctx: ctx.clone(),
            gain,
            calls: Vec::new(),
            decoders: Vec::new(),
            journal,
            jitter: JitterBuffer::new(),
            meter,
            _read_meter: read_meter,
            replay: None,
            replay_ended: Closure::new(move || {
                desk.replaying.try_set(None);
            }),
        })
    }

    pub fn context(&self) -> &AudioContext {
        &self.ctx
    }

    /// A frame of the current talker arrived at `now`: scheduled at the
    /// jitter buffer's slot, which it returns with whether it opens a
    /// transmission; `None` when it is late or a duplicate.
    pub fn play(&mut self, now: u64, frame: &Frame) -> Result<Option<(u64, bool)>, String> {
        let h = &frame.header;
        let Verdict::Play { at_ms, first } = self.jitter.push(now, h) else {
            return Ok(None);
        };
        if first {
            let delay = at_ms.saturating_sub(now);
            self.desk
                .playout
                .update(|(n, d)| (*n, *d) = (*n + 1, delay));
        }
        let when = self.ctx.current_time() + at_ms.saturating_sub(now) as f64 / 1_000.0;
        match h.codec {
            Codec::Mulaw => {
                let samples: Vec<f32> = frame
                    .payload
                    .iter()
                    .map(|&c| f32::from(mulaw_decode(c)) / 32_768.0)
                    .collect();
                let source = self
                    .source(&h.session, &samples, SAMPLE_RATE as f32)
                    .map_err(|e| format!("{e:?}"))?;
                source.start_with_when(when).map_err(|e| format!("{e:?}"))?;
            }
            Codec::Opus => self.decoder(&h.session)?.decode(when, &frame.payload)?,
        }
        Ok(Some((at_ms, first)))
    }

    /// `session`'s Opus decoder, made the first time (and again after an
    /// error closed it).
    fn decoder(&mut self, session: &BigId) -> Result<&Decoder, String> {
        let found = self
            .decoders
            .iter()
            .position(|(id, d)| id == session && d.working());
        let at = match found {
            Some(at) => at,
            None => {
                self.decoders.retain(|(id, _)| id != session);
                let gain = self.call_gain(session).map_err(|e| format!("{e:?}"))?;
                let ctx = self.ctx.clone();
                let journal = self.journal;
                let decoder = Decoder::new(
                    move |when: f64, d: Decoded| {
                        if let Ok(source) = source(&ctx, &gain, &d.samples, d.rate) {
                            let _ = source.start_with_when(when);
                        }
                    },
                    move |why| {
                        journal.log(Source::Voice, Kind::Error, format!("Opus decoder: {why}"))
                    },
                )?;
                self.decoders.push((session.clone(), decoder));
                self.desk.decoders.set(self.decoders.len());
                self.decoders.len() - 1
            }
        };
        Ok(&self.decoders[at].1)
    }

    /// Lets go of what the calls not in `live` held: their volume node and
    /// their Opus decoder (closed when dropped). A shift sees hundreds of
    /// calls; a replay of one that ended is cut.
    pub fn forget_calls_but(&mut self, live: &[BigId]) {
        self.decoders.retain(|(id, _)| live.contains(id));
        self.calls.retain(|(id, gain)| {
            let keep = live.contains(id);
            if !keep {
                let _ = gain.disconnect();
            }
            keep
        });
        if self.desk.decoders.get_untracked() != self.decoders.len() {
            self.desk.decoders.set(self.decoders.len());
        }
    }

    /// Plays kept audio (mono `samples` at `rate`) now through `session`'s volume.
    pub fn replay(&mut self, session: &BigId, samples: &[f32], rate: f32) -> Result<(), JsValue> {
        self.stop_replay();
        let source: AudioScheduledSourceNode = self.source(session, samples, rate)?.into();
        source.set_onended(Some(self.replay_ended.as_ref().unchecked_ref()));
        source.start()?;
        self.replay = Some(source);
        Ok(())
    }

    /// Stops the replay playing, if any.
    pub fn stop_replay(&mut self) {
        if let Some(old) = self.replay.take() {
            old.set_onended(None);
            let _ = old.stop();
            self.desk.replaying.set(None);
        }
    }

    /// The gain `session` plays through, made at its volume the first time.
    fn call_gain(&mut self, session: &BigId) -> Result<GainNode, JsValue> {
        if let Some((_, g)) = self.calls.iter().find(|(id, _)| id == session) {
            return Ok(g.clone());
        }
        let g = self.ctx.create_gain()?;
        g.gain()
            .set_value(self.desk.volume_untracked(session).gain());
        g.connect_with_audio_node(&self.gain)?;
        self.calls.push((session.clone(), g.clone()));
        Ok(g)
    }

    /// A call's volume changed.
    pub fn set_gain(&mut self, session: &BigId, gain: f32) {
        if let Ok(g) = self.call_gain(session) {
            g.gain().set_value(gain);
        }
    }

    /// A source of `samples` at `rate` into `session`'s gain, not started.
    fn source(
        &mut self,
        session: &BigId,
        samples: &[f32],
        rate: f32,
    ) -> Result<AudioBufferSourceNode, JsValue> {
        let _ = self.ctx.resume();
        let call = self.call_gain(session)?;
        source(&self.ctx, &call, samples, rate)
    }

    /// Two short rising beeps: the floor is yours.
    pub fn permit_tone(&self) {
        self.beep(880.0, 0.0, 0.07);
        self.beep(1_320.0, 0.08, 0.07);
    }

    /// Two low beeps: the floor was refused.
    pub fn refusal_tone(&self) {
        self.beep(400.0, 0.0, 0.12);
        self.beep(400.0, 0.18, 0.12);
    }

    /// Playback lower while the dispatcher talks.
    pub fn duck(&self, talking: bool) {
        let _ = self.ctx.resume();
        self.gain
            .gain()
            .set_value(if talking { DUCKED } else { 1.0 });
    }

    /// Tones go straight to the speaker, not through the talker's meter.
    fn beep(&self, hz: f32, after_s: f64, length_s: f64) {
        let ctx = &self.ctx;
        let sound = || -> Result<(), JsValue> {
            let osc = ctx.create_oscillator()?;
            osc.frequency().set_value(hz);
            let level = ctx.create_gain()?;
            level.gain().set_value(0.2);
            osc.connect_with_audio_node(&level)?;
            level.connect_with_audio_node(&ctx.destination())?;
            let at = ctx.current_time() + after_s;
            osc.start_with_when(at)?;
            osc.stop_with_when(at + length_s)
        };
        let _ = sound();
    }
}

impl Drop for Player {
    fn drop(&mut self) {
        if let (Some(handle), Some(w)) = (self.meter.take(), web_sys::window()) {
            w.clear_interval_with_handle(handle);
        }
        let _ = self.ctx.close();
    }
}

/// A source of mono `samples` at `rate` into `gain`, not started.
fn source(
    ctx: &AudioContext,
    gain: &GainNode,
    samples: &[f32],
    rate: f32,
) -> Result<AudioBufferSourceNode, JsValue> {
    let buffer = ctx.create_buffer(1, samples.len() as u32, rate)?;
    buffer.copy_to_channel(samples, 0)?;
    let source = ctx.create_buffer_source()?;
    source.set_buffer(Some(&buffer));
    source.connect_with_audio_node(gain)?;
    Ok(source)
}

fn read_level(analyser: &AnalyserNode, desk: AudioDesk) {
    let mut samples = [0f32; WINDOW];
    analyser.get_float_time_domain_data(&mut samples);
    let rms = super::rms(&samples);
    let shown = super::rounded(rms);
    if desk.level_out.try_get_untracked() != Some(shown) {
        desk.level_out.try_set(shown);
    }
    if rms > HEARD_RMS {
        desk.heard.try_update(|n| *n += 1);
    }
}
