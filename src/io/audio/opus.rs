//! Opus through WebCodecs (docs/audio.md): an `AudioEncoder` turns each
//! 20 ms uplink frame into one packet, an `AudioDecoder` per call turns
//! packets back into samples played at their jitter-buffer slot, and a
//! replay decodes a kept transmission whole. Both codecs answer
//! asynchronously but in the order they were fed, so each keeps what
//! belongs to its inputs (a ticket, a play time, a slot) in a queue and
//! pairs every output with the front of it.

use js_sys::{Float32Array, Int16Array, Object, Reflect};
use proto::audio::{Pcm, Ticket, FRAME_MS, OPUS_INPUT_RATE};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AudioData, AudioDataCopyToOptions, AudioDataInit, AudioDecoder, AudioDecoderConfig,
    AudioDecoderInit, AudioEncoder, AudioEncoderConfig, AudioEncoderInit, AudioSampleFormat,
    EncodedAudioChunk, EncodedAudioChunkInit, EncodedAudioChunkType,
};

/// Speech at 16 kHz: SILK wideband, clear at this rate.
const BITRATE: u32 = 24_000;
/// Opus decodes at 48 kHz whatever it was fed.
const DECODE_RATE: u32 = 48_000;

/// The encoder's settings: one 20 ms packet per frame, tuned for voice
/// (`opus` is not in web-sys' dictionary, so it is set by name).
fn encoder_config() -> AudioEncoderConfig {
    let config = AudioEncoderConfig::new("opus", 1, OPUS_INPUT_RATE);
    config.set_bitrate(BITRATE);
    let opus = Object::new();
    let _ = Reflect::set(
        &opus,
        &"frameDuration".into(),
        &((FRAME_MS * 1_000) as f64).into(),
    );
    let _ = Reflect::set(&opus, &"application".into(), &"voip".into());
    let _ = Reflect::set(&config, &"opus".into(), &opus);
    config
}

/// Whether the page has `name` (a WebCodecs interface): calling into one
/// that is missing would throw.
fn has(name: &str) -> bool {
    web_sys::window().is_some_and(|w| Reflect::has(&w, &name.into()).unwrap_or(false))
}

pub(super) fn described(e: &JsValue) -> String {
    Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

/// The uplink's Opus encoder.
pub(super) struct Encoder {
    codec: AudioEncoder,
    tickets: Rc<RefCell<VecDeque<Ticket>>>,
    /// An error closed it, for good.
    closed: Rc<Cell<bool>>,
    /// The next input's timestamp (µs): WebCodecs wants them increasing.
    timestamp: f64,
    _output: Closure<dyn FnMut(EncodedAudioChunk)>,
    _error: Closure<dyn FnMut(JsValue)>,
}

impl Encoder {
    /// Whether this browser encodes Opus with these settings.
    pub async fn supported() -> bool {
        if !has("AudioEncoder") {
            return false;
        }
        let Ok(answer) = JsFuture::from(AudioEncoder::is_config_supported(&encoder_config())).await
        else {
            return false;
        };
        Reflect::get(&answer, &"supported".into())
            .ok()
            .and_then(|s| s.as_bool())
            .unwrap_or(false)
    }

    /// `on_packet` receives each frame's packet with its ticket; `on_error`
    /// why the encoder stopped (it is closed then).
    pub fn new(
        mut on_packet: impl FnMut(Ticket, Vec<u8>) + 'static,
        mut on_error: impl FnMut(String) + 'static,
    ) -> Result<Self, JsValue> {
        let tickets = Rc::new(RefCell::new(VecDeque::<Ticket>::new()));
        let queue = tickets.clone();
        let output =
            Closure::<dyn FnMut(EncodedAudioChunk)>::new(move |chunk: EncodedAudioChunk| {
                let Some(ticket) = queue.borrow_mut().pop_front() else {
                    return;
                };
                let mut packet = vec![0; chunk.byte_length() as usize];
                if chunk.copy_to_with_u8_slice(&mut packet).is_ok() {
                    on_packet(ticket, packet);
                }
            });
        let (queue, closed) = (tickets.clone(), Rc::new(Cell::new(false)));
        let closing = closed.clone();
        let error = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            closing.set(true);
            queue.borrow_mut().clear();
            on_error(described(&e));
        });
        let codec = AudioEncoder::new(&AudioEncoderInit::new(
            error.as_ref().unchecked_ref(),
            output.as_ref().unchecked_ref(),
        ))?;
        codec.configure(&encoder_config())?;
        Ok(Self {
            codec,
            tickets,
            closed,
            timestamp: 0.0,
            _output: output,
            _error: error,
        })
    }

    /// Whether it still encodes (an error closes it for good).
    pub fn working(&self) -> bool {
        !self.closed.get()
    }

    /// Queues one frame; its packet comes to `on_packet` in a few ms.
    pub fn encode(&mut self, pcm: &Pcm) -> Result<(), JsValue> {
        let samples = Int16Array::from(&pcm.samples[..]);
        let init = AudioDataInit::new(
            &samples,
            AudioSampleFormat::S16,
            1,
            pcm.samples.len() as u32,
            OPUS_INPUT_RATE as f32,
            0,
        );
        init.set_timestamp_f64(self.timestamp);
        let data = AudioData::new(&init)?;
        let queued = self.codec.encode(&data);
        data.close();
        queued?;
        self.timestamp += (FRAME_MS * 1_000) as f64;
        self.tickets.borrow_mut().push_back(pcm.ticket);
        Ok(())
    }
}

impl Drop for Encoder {
    fn drop(&mut self) {
        let _ = self.codec.close();
    }
}

/// A decoder's samples: mono, at `rate`.
pub(super) struct Decoded {
    pub samples: Vec<f32>,
    pub rate: f32,
}

/// An Opus decoder; each output goes to `on_samples` with the number
/// given with its packet (a play time, a slot).
pub(super) struct Decoder {
    codec: AudioDecoder,
    pending: Rc<RefCell<VecDeque<f64>>>,
    /// An error closed it, for good.
    closed: Rc<Cell<bool>>,
    _output: Closure<dyn FnMut(AudioData)>,
    _error: Closure<dyn FnMut(JsValue)>,
}

impl Decoder {
    /// Fails where the browser has no Opus decoder. `on_error` is told why
    /// the decoder stopped (a packet it could not decode closes it).
    pub fn new(
        mut on_samples: impl FnMut(f64, Decoded) + 'static,
        mut on_error: impl FnMut(String) + 'static,
    ) -> Result<Self, String> {
        if !has("AudioDecoder") {
            return Err("this browser has no WebCodecs AudioDecoder".into());
        }
        let pending = Rc::new(RefCell::new(VecDeque::new()));
        let queue = pending.clone();
        let output = Closure::<dyn FnMut(AudioData)>::new(move |data: AudioData| {
            let given = queue.borrow_mut().pop_front();
            let samples = mono(&data);
            let rate = data.sample_rate();
            data.close();
            if let (Some(given), Some(samples)) = (given, samples) {
                on_samples(given, Decoded { samples, rate });
            }
        });
        let (queue, closed) = (pending.clone(), Rc::new(Cell::new(false)));
        let closing = closed.clone();
        let error = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            closing.set(true);
            queue.borrow_mut().clear();
            on_error(described(&e));
        });
        let codec = AudioDecoder::new(&AudioDecoderInit::new(
            error.as_ref().unchecked_ref(),
            output.as_ref().unchecked_ref(),
        ))
        .map_err(|e| described(&e))?;
        codec
            .configure(&AudioDecoderConfig::new("opus", 1, DECODE_RATE))
            .map_err(|e| described(&e))?;
        Ok(Self {
            codec,
            pending,
            closed,
            _output: output,
            _error: error,
        })
    }

    /// Whether it still decodes (an error closes it for good).
    pub fn working(&self) -> bool {
        !self.closed.get()
    }

    /// Queues one packet; its samples come to `on_samples` with `given`.
    pub fn decode(&self, given: f64, packet: &[u8]) -> Result<(), String> {
        let init = EncodedAudioChunkInit::new(
            &js_sys::Uint8Array::from(packet),
            0,
            EncodedAudioChunkType::Key,
        );
        let chunk = EncodedAudioChunk::new(&init).map_err(|e| described(&e))?;
        self.codec.decode(&chunk).map_err(|e| described(&e))?;
        self.pending.borrow_mut().push_back(given);
        Ok(())
    }

    /// Resolves once every packet queued has been decoded.
    pub async fn flush(&self) -> Result<(), String> {
        JsFuture::from(self.codec.flush())
            .await
            .map(|_| ())
            .map_err(|e| described(&e))
    }
}

impl Drop for Decoder {
    fn drop(&mut self) {
        let _ = self.codec.close();
    }
}

/// The first channel of `data` as floats.
fn mono(data: &AudioData) -> Option<Vec<f32>> {
    let out = Float32Array::new_with_length(data.number_of_frames());
    let options = AudioDataCopyToOptions::new(0);
    options.set_format(AudioSampleFormat::F32Planar);
    data.copy_to_with_buffer_source(&out, &options).ok()?;
    Some(out.to_vec())
}

/// A kept transmission's packets (`None`: a missing frame) decoded whole:
/// samples at 48 kHz, each frame at its slot, a missing or undecodable one
/// silent.
pub(super) async fn decode_all(slots: &[Option<Vec<u8>>]) -> Result<Decoded, String> {
    let per_frame = (DECODE_RATE as u64 * FRAME_MS / 1_000) as usize;
    let out = Rc::new(RefCell::new(vec![0.0f32; slots.len() * per_frame]));
    let into = out.clone();
    let decoder = Decoder::new(
        move |slot: f64, d: Decoded| {
            let mut out = into.borrow_mut();
            let at = slot as usize * per_frame;
            let n = d.samples.len().min(per_frame).min(out.len() - at);
            out[at..at + n].copy_from_slice(&d.samples[..n]);
        },
        |_| {},
    )?;
    for (slot, packet) in slots.iter().enumerate() {
        if let Some(packet) = packet {
            decoder.decode(slot as f64, packet)?;
        }
    }
    decoder.flush().await?;
    let samples = std::mem::take(&mut *out.borrow_mut());
    Ok(Decoded {
        samples,
        rate: DECODE_RATE as f32,
    })
}
