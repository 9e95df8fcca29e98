// The microphone's AudioWorklet processor (src/io/audio/capture.rs). With
// the talk key up it keeps the last 100 ms in a ring and posts nothing, so
// an idle microphone costs the main thread nothing. Told a frame of the
// audio context's clock (the press less the 20 ms pre-roll, from
// proto::audio::Uplink), it posts [first frame, samples] from there on,
// every 10 ms, until told -1 (docs/audio.md). The ring
// holds only samples contiguous on that clock: a render quantum without
// input (the microphone stopped delivering) starts it over, so a stale
// pre-roll is never posted. A module file of this origin, as the
// Content-Security-Policy (script-src 'self') wants.
class DispatchCapture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.ring = new Float32Array(Math.ceil(sampleRate / 10));
    this.block = Math.ceil(sampleRate / 100);
    this.preroll = Math.ceil(sampleRate / 50);
    // The frame after the newest sample kept, and how many are kept.
    this.end = 0;
    this.kept = 0;
    // The next frame to post (-1: not streaming), and the next 10 ms
    // boundary counted from the stream's first frame (-1: none posted yet).
    this.from = -1;
    this.due = -1;
    // Answered at once, not at the next render quantum: the pre-roll is
    // in the ring already. The page names the frame from the context's
    // clock, which can run ahead of the samples here (tens of ms on a busy
    // machine): a frame not yet captured would skip what was said since
    // the press, so the stream then starts 20 ms before the newest sample.
    this.port.onmessage = (e) => {
      const from = e.data;
      this.from = from >= 0 && this.kept > 0 ? Math.min(from, this.end - this.preroll) : from;
      this.due = -1;
      this.post();
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
    this.post();
    return true;
  }

  // Posts what is kept from `from` on: first once 10 ms are in, then each
  // time a 10 ms boundary of the stream passes. The page's 20 ms frames
  // start with the stream, so each is posted with its last sample.
  post() {
    if (this.from < 0) return;
    const ring = this.ring;
    const from = Math.max(this.from, this.end - this.kept);
    if (this.due < 0) {
      if (this.end - from < this.block) return;
      this.due = from;
    } else if (this.end < this.due) return;
    this.due += this.block * (Math.floor((this.end - this.due) / this.block) + 1);
    const out = new Float32Array(this.end - from);
    for (let f = from; f < this.end; f++) out[f - from] = ring[f % ring.length];
    this.port.postMessage([from, out], [out.buffer]);
    this.from = this.end;
  }
}

registerProcessor("dispatch-capture", DispatchCapture);
