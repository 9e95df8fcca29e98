//! Everything the simulator remembers, behind the one lock of [`crate::Sim`].

use crate::call::CallBook;
use crate::ivr::IvrRecord;
use crate::meeting::{Meeting, Pushed};
use crate::outage::Outages;
use crate::voice::{Outgoing, Sockets, VoiceWorld};
use crate::{Faults, SimConfig};
use tokio::sync::broadcast;

pub(crate) struct Inner {
    pub faults: Faults,
    pub voice: VoiceWorld,
    /// The open voice WebSockets, to deliver what `voice` produces.
    pub sockets: Sockets,
    pub calls: CallBook,
    pub meeting: Meeting,
    pub ivr: Vec<IvrRecord>,
    pub outages: Outages,
}

impl Inner {
    pub fn new(cfg: &SimConfig, meeting_events: broadcast::Sender<Pushed>) -> Self {
        Self {
            faults: Faults::default(),
            voice: VoiceWorld::new(cfg.users.clone(), cfg.terminals.clone()),
            sockets: Sockets::default(),
            calls: CallBook::default(),
            meeting: Meeting::new(cfg, meeting_events),
            ivr: Vec::new(),
            outages: Outages::default(),
        }
    }

    /// Hands voice messages to their sockets (never blocks: the channels are
    /// unbounded and each socket task writes at its own pace).
    pub fn deliver(&mut self, out: Vec<Outgoing>) {
        for o in out {
            self.sockets.send(o.conn, o.msg.to_json());
        }
    }
}
