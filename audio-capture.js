// The microphone's AudioWorklet processor (src/io/audio/capture.rs): it
// posts the captured mono samples to the main thread in blocks of about
// 10 ms; Rust frames, encodes and sends them (docs/audio.md). A module file
// of this origin, as the Content-Security-Policy (script-src 'self') wants.
class DispatchCapture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.block = new Float32Array(Math.ceil(sampleRate / 100));
    this.filled = 0;
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel) {
      let at = 0;
      while (at < channel.length) {
        const n = Math.min(channel.length - at, this.block.length - this.filled);
        this.block.set(channel.subarray(at, at + n), this.filled);
        this.filled += n;
        at += n;
        if (this.filled === this.block.length) {
          this.port.postMessage(this.block);
          this.block = new Float32Array(this.block.length);
          this.filled = 0;
        }
      }
    }
    return true;
  }
}

registerProcessor("dispatch-capture", DispatchCapture);
