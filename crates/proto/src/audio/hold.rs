//! The pre-grant hold: audio captured between the press and the grant,
//! kept so the first syllable is not clipped. Bounded: past the capacity
//! the oldest frame goes.

use std::collections::VecDeque;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldBuffer<T> {
    frames: VecDeque<T>,
    capacity: usize,
    /// Frames pushed out by newer ones since the last `clear`/`drain`.
    dropped: u64,
}

impl<T> HoldBuffer<T> {
    pub fn new(capacity: usize) -> Self {
        Self {
            frames: VecDeque::new(),
            capacity: capacity.max(1),
            dropped: 0,
        }
    }

    pub fn push(&mut self, frame: T) {
        if self.frames.len() == self.capacity {
            self.frames.pop_front();
            self.dropped += 1;
        }
        self.frames.push_back(frame);
    }

    /// Everything held, oldest first; the buffer is then empty.
    pub fn drain(&mut self) -> Vec<T> {
        self.dropped = 0;
        self.frames.drain(..).collect()
    }

    /// Forgets everything held (the floor was refused, the key released).
    pub fn clear(&mut self) {
        self.dropped = 0;
        self.frames.clear();
    }

    pub fn len(&self) -> usize {
        self.frames.len()
    }

    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }

    pub fn dropped(&self) -> u64 {
        self.dropped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_newest_within_its_bound_and_drains_in_order() {
        let mut h = HoldBuffer::new(3);
        for i in 0..5 {
            h.push(i);
        }
        assert_eq!((h.len(), h.dropped()), (3, 2));
        assert_eq!(h.drain(), [2, 3, 4]);
        assert!(h.is_empty());
        assert_eq!(h.dropped(), 0);
        h.push(9);
        h.clear();
        assert!(h.drain().is_empty());
    }
}
