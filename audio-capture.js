// The microphone's AudioWorklet processor (src/io/audio/capture.rs). With
// the talk key up it keeps the last 100 ms in a ring and posts nothing, so
// an idle microphone costs the main thread nothing. Told a frame of the
// audio context's clock (the press less the 20 ms pre-roll, from
// proto::audio::Uplink), it posts [first frame, samples] from there on,
// whenever 10 ms or more are in, until told -1 (docs/audio.md). The ring
// holds only samples contiguous on that clock: a render quantum without
// input (the microphone stopped delivering) starts it over, so a stale
// pre-roll is never posted. A module file of this origin, as the
// Content-Security-Policy (script-src 'self') wants.
class DispatchCapture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.ring = new Float32Array(Math.ceil(sampleRate / 10));
    this.block = Math.ceil(sampleRate / 100);
    // The frame after the newest sample kept, and how many are kept.
    this.end = 0;
    this.kept = 0;
    // The next frame to post; -1: not streaming.
    this.from = -1;
    this.port.onmessage = (e) => {
      this.from = e.data;
    };
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (!channel || currentFrame !== this.end) this.kept = 0;
    if (!channel) return true;
    const ring = this.ring;
    for (let i = 0; i < channel.length; i++) ring[(currentFrame + i) % ring.length] = channel[i];
    this.end = currentFrame + channel.length;
    this.kept = Math.min(this.kept + channel.length, ring.length);
    if (this.from < 0) return true;
    const from = Math.max(this.from, this.end - this.kept);
    if (this.end - from >= this.block) {
      const out = new Float32Array(this.end - from);
      for (let f = from; f < this.end; f++) out[f - from] = ring[f % ring.length];
      this.port.postMessage([from, out], [out.buffer]);
      this.from = this.end;
    }
    return true;
  }
}

registerProcessor("dispatch-capture", DispatchCapture);
