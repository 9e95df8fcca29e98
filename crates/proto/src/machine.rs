//! The one contract every sans-IO machine keeps, so one driver in the app
//! can run any of them.
//!
//! A machine takes inputs with the time (`handle`), hands out what to do
//! (`poll_output`), and says when it next needs waking (`poll_timeout` /
//! `handle_timeout`). Outputs have one shape: [`Output::Send`] (something
//! for the transport: a frame, a request, a socket to open), [`Output::Event`]
//! (something that happened, for the journal or a listener) and
//! [`Output::State`] (the machine's [`Machine::view`] changed: publish it).
//! Time is milliseconds on a clock that never goes back.

use std::collections::VecDeque;

pub trait Machine {
    type Input;
    /// What the transport carries out.
    type Send;
    /// What happened, for the journal and listeners.
    type Event;
    /// What the screen shows; published after [`Output::State`].
    type View: Clone + PartialEq;

    fn handle(&mut self, now: u64, input: Self::Input);
    /// When the machine next needs [`Machine::handle_timeout`].
    fn poll_timeout(&self) -> Option<u64>;
    /// Called at (or after) `poll_timeout`, or at any time: a machine woken
    /// early does nothing, one woken late (a throttled background tab)
    /// catches up at once.
    fn handle_timeout(&mut self, now: u64);
    fn poll_output(&mut self) -> Option<Output<Self::Send, Self::Event>>;
    fn view(&self) -> Self::View;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output<S, E> {
    Send(S),
    Event(E),
    /// The view changed since the last `State`.
    State,
}

/// A machine's queue of outputs: sends and events in order, then one
/// `State` if anything visible changed, so the view is published once per
/// drain, after the sends it describes.
#[derive(Debug)]
pub struct Outbox<S, E> {
    queue: VecDeque<Output<S, E>>,
    changed: bool,
}

impl<S, E> Default for Outbox<S, E> {
    fn default() -> Self {
        Self {
            queue: VecDeque::new(),
            changed: false,
        }
    }
}

impl<S, E> Outbox<S, E> {
    pub fn send(&mut self, s: S) {
        self.queue.push_back(Output::Send(s));
    }

    pub fn event(&mut self, e: E) {
        self.queue.push_back(Output::Event(e));
    }

    /// The view changed.
    pub fn changed(&mut self) {
        self.changed = true;
    }

    pub fn pop(&mut self) -> Option<Output<S, E>> {
        self.queue
            .pop_front()
            .or_else(|| std::mem::take(&mut self.changed).then_some(Output::State))
    }

    /// Outputs waiting (the soak test checks this stays bounded).
    pub fn len(&self) -> usize {
        self.queue.len()
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_empty() && !self.changed
    }
}

/// Every output until the machine has nothing more to say (tests and the
/// driver's shutdown).
pub fn drain<M: Machine>(m: &mut M) -> Vec<Output<M::Send, M::Event>> {
    std::iter::from_fn(|| m.poll_output()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_comes_once_and_after_the_sends() {
        let mut o: Outbox<u8, ()> = Outbox::default();
        o.changed();
        o.send(1);
        o.changed();
        o.event(());
        assert_eq!(o.pop(), Some(Output::Send(1)));
        assert_eq!(o.pop(), Some(Output::Event(())));
        assert_eq!(o.pop(), Some(Output::State));
        assert_eq!(o.pop(), None);
        assert!(o.is_empty());
    }
}
