//! The microphone: getUserMedia with echo cancellation, noise suppression
//! and gain control, into the AudioWorklet processor `audio-capture.js`
//! (a static file beside index.html, allowed by `script-src 'self'`). It
//! posts samples over its port only while the uplink asks (the key down,
//! from the pre-roll on): each message is `[first frame, samples]` on the
//! audio context's clock.

use super::playback::Player;
use super::{Engine, MicStatus};
use crate::time::now_ms;
use js_sys::{Float32Array, Object, Reflect};
use proto::audio::{Stream, Uplink};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AudioContext, AudioWorkletNode, MediaStream, MediaStreamAudioSourceNode,
    MediaStreamConstraints, MessageEvent,
};

/// The processor module and the name it registers.
const MODULE: &str = "audio-capture.js";
const PROCESSOR: &str = "dispatch-capture";

/// The capture graph, live as long as it is kept: dropping it detaches the
/// processor's messages and lets the microphone go.
pub(crate) struct Capture {
    stream: MediaStream,
    source: MediaStreamAudioSourceNode,
    node: AudioWorkletNode,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

impl Capture {
    /// The capture clock now: the frames the audio context has rendered.
    pub(super) fn frame(&self) -> u64 {
        let ctx = self.node.context();
        (ctx.current_time() * f64::from(ctx.sample_rate())).round() as u64
    }

    /// Tells the worklet to stream from a frame on, or to stop.
    pub(super) fn stream(&self, stream: Stream) {
        let from = match stream {
            Stream::From(frame) => frame as f64,
            Stream::Stop => -1.0,
        };
        if let Ok(port) = self.node.port() {
            let _ = port.post_message(&from.into());
        }
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        // Messages still queued must not reach the closure dropped with us.
        if let Ok(port) = self.node.port() {
            port.set_onmessage(None);
        }
        self.source.disconnect().ok();
        self.node.disconnect().ok();
        // Stopping the tracks turns the browser's microphone indicator off.
        for track in self.stream.get_tracks().iter() {
            if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
                track.stop();
            }
        }
    }
}

/// Creates the audio context (playback works without a microphone), then
/// asks for the microphone; the desk shows how it went.
pub(super) fn open(engine: Rc<RefCell<Engine>>) {
    let desk = engine.borrow().desk;
    desk.mic.set(MicStatus::Asking);
    wasm_bindgen_futures::spawn_local(async move {
        let status = match start(&engine).await {
            Ok(()) => MicStatus::Ready,
            Err((status, why)) => {
                engine.borrow().note(format!("microphone: {why}"));
                status
            }
        };
        desk.mic.set(status);
    });
}

type Failure = (MicStatus, String);

fn failed(e: JsValue) -> Failure {
    (MicStatus::Failed, describe(&e))
}

async fn start(engine: &Rc<RefCell<Engine>>) -> Result<(), Failure> {
    let window = web_sys::window().ok_or((MicStatus::Unavailable, "no window".into()))?;
    let desk = engine.borrow().desk;
    // Opened again on another microphone: the player and its context stay.
    let playing = engine.borrow().player.as_ref().map(|p| p.context().clone());
    let ctx = match playing {
        Some(ctx) => ctx,
        None => {
            let ctx = AudioContext::new().map_err(failed)?;
            let journal = engine.borrow().journal;
            engine.borrow_mut().player = Some(Player::new(&ctx, desk, journal).map_err(failed)?);
            ctx
        }
    };

    let navigator = window.navigator();
    if !Reflect::has(&navigator, &"mediaDevices".into()).unwrap_or(false) {
        return Err((
            MicStatus::Unavailable,
            "no navigator.mediaDevices (not https?)".into(),
        ));
    }
    let devices = navigator.media_devices().map_err(failed)?;
    let chosen = super::devices::chosen(false);
    let mut opened = microphone(&devices, &chosen).await;
    // The microphone chosen is gone: the default, with a word on screen.
    let gone = !chosen.is_empty()
        && matches!(&opened, Err(e) if matches!(name(e).as_str(), "NotFoundError" | "OverconstrainedError"));
    if gone {
        opened = microphone(&devices, "").await;
    }
    desk.device_gone.set(gone);
    let stream = opened.map_err(|e| (refusal(&window, &e), describe(&e)))?;
    // The device the browser opened, as its track's settings name it.
    let track = stream.get_audio_tracks().get(0);
    let in_use = Reflect::get(&track, &"getSettings".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(&track).ok())
        .and_then(|s| Reflect::get(&s, &"deviceId".into()).ok())
        .and_then(|d| d.as_string());
    desk.mic_device.set(in_use.unwrap_or_default());

    let loading = ctx
        .audio_worklet()
        .map_err(failed)?
        .add_module(MODULE)
        .map_err(failed)?;
    JsFuture::from(loading).await.map_err(failed)?;
    let node = AudioWorkletNode::new(&ctx, PROCESSOR).map_err(failed)?;
    let source = ctx.create_media_stream_source(&stream).map_err(failed)?;
    source.connect_with_audio_node(&node).map_err(failed)?;
    // The processor writes nothing; connected so the graph keeps pulling it.
    node.connect_with_audio_node(&ctx.destination())
        .map_err(failed)?;

    let weak = Rc::downgrade(engine);
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let posted = js_sys::Array::from(&e.data());
        let (Some(frame), Ok(samples)) = (
            posted.get(0).as_f64(),
            posted.get(1).dyn_into::<Float32Array>(),
        ) else {
            return;
        };
        if let Some(engine) = weak.upgrade() {
            engine
                .borrow_mut()
                .captured(now_ms(), frame as u64, &samples.to_vec());
        }
    });
    node.port()
        .map_err(failed)?
        .set_onmessage(Some(on_message.as_ref().unchecked_ref()));

    let capture = Capture {
        stream,
        source,
        node,
        _on_message: on_message,
    };
    let codec = super::uplink_codec(engine).await;
    let mut e = engine.borrow_mut();
    let mut uplink = Uplink::new(ctx.sample_rate() as u32, codec);
    // A press already under way streams from now on.
    let (mode, pressed) = (e.mode.clone(), e.ptt.with_untracked(|p| p.key_down_at));
    if let Some(s) = uplink
        .follow(now_ms(), capture.frame(), pressed, mode)
        .stream
    {
        capture.stream(s);
    }
    e.uplink = Some(uplink);
    e.capture = Some(capture);
    Ok(())
}

/// getUserMedia with echo cancellation, noise suppression and gain
/// control, on microphone `device` exactly when one is chosen ("": the
/// default).
async fn microphone(devices: &web_sys::MediaDevices, device: &str) -> Result<MediaStream, JsValue> {
    let wanted = Object::new();
    for key in ["echoCancellation", "noiseSuppression", "autoGainControl"] {
        let _ = Reflect::set(&wanted, &key.into(), &JsValue::TRUE);
    }
    if !device.is_empty() {
        let exact = Object::new();
        let _ = Reflect::set(&exact, &"exact".into(), &device.into());
        let _ = Reflect::set(&wanted, &"deviceId".into(), &exact);
    }
    let constraints = MediaStreamConstraints::new();
    constraints.set_audio(&wanted);
    let asked = devices.get_user_media_with_constraints(&constraints)?;
    Ok(JsFuture::from(asked).await?.unchecked_into())
}

/// Why getUserMedia said no.
fn refusal(window: &web_sys::Window, e: &JsValue) -> MicStatus {
    MicStatus::from_refusal(&name(e), framed_without_microphone(window))
}

/// In a frame whose permissions policy does not allow the microphone
/// (`document.featurePolicy.allowsFeature("microphone")`, where the browser has it).
fn framed_without_microphone(window: &web_sys::Window) -> bool {
    let framed = window
        .top()
        .ok()
        .flatten()
        .is_some_and(|top| !Object::is(&top, window));
    let allowed = window
        .document()
        .and_then(|d| Reflect::get(&d, &"featurePolicy".into()).ok())
        .filter(|p| p.is_object())
        .and_then(|p| {
            let f: js_sys::Function = Reflect::get(&p, &"allowsFeature".into())
                .ok()?
                .dyn_into()
                .ok()?;
            f.call1(&p, &"microphone".into()).ok()?.as_bool()
        });
    framed && allowed != Some(true)
}

fn name(e: &JsValue) -> String {
    Reflect::get(e, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default()
}

fn describe(e: &JsValue) -> String {
    let message = Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_default();
    format!("{}: {message}", name(e))
}
