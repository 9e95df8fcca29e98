//! The talker shown in step with the sound (docs/audio.md). The plugin's
//! memberGetMic comes before the member's first frame has played (transit
//! plus the playout delay), and its memberLostMic before the last one has:
//! a name taken from the notifications alone runs ahead of what the
//! dispatcher hears. [`Audible`] remembers, per session, when each talker's
//! frames are scheduled to play (the jitter buffer's slots) and names the
//! talker whose sound is playing; where no sound comes (a plugin that sends
//! none) it falls back to the notification after [`SOUND_GRACE_MS`].

use super::frame::FRAME_MS;
use super::jitter::MAX_DELAY_MS;
use crate::id::BigId;
use crate::voice::{CallSession, Talker};

/// How long after a member takes the floor its sound may take to start
/// playing (transit, then at most the longest playout delay) before the
/// console stops waiting and names the talker from the notification.
pub const SOUND_GRACE_MS: u64 = MAX_DELAY_MS + 200;

/// A talker's frames scheduled back to back: from the first one's play
/// time to the end of the last one scheduled so far.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stretch {
    session: BigId,
    talker: Talker,
    from_ms: u64,
    until_ms: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Audible {
    stretches: Vec<Stretch>,
}

impl Audible {
    /// A frame of `talker` in `session` will play at `at_ms` (all times on
    /// the clock the machine's `now` uses); `first` opens a transmission,
    /// as the jitter buffer said.
    pub fn scheduled(
        &mut self,
        now: u64,
        session: &BigId,
        talker: &Talker,
        at_ms: u64,
        first: bool,
    ) {
        // What ended longer ago than the grace can no longer matter.
        self.stretches
            .retain(|s| s.until_ms.saturating_add(SOUND_GRACE_MS) > now);
        let end = at_ms.saturating_add(FRAME_MS);
        let last = self
            .stretches
            .iter_mut()
            .rev()
            .find(|s| &s.session == session);
        match last {
            Some(s) if !first && &s.talker == talker => {
                s.from_ms = s.from_ms.min(at_ms);
                s.until_ms = s.until_ms.max(end);
            }
            _ => self.stretches.push(Stretch {
                session: session.clone(),
                talker: talker.clone(),
                from_ms: at_ms,
                until_ms: end,
            }),
        }
    }

    /// Who `s` shows as its talker at `now`: the dispatcher when the floor
    /// is theirs; else the talker whose sound is playing (still after their
    /// memberLostMic, while their last frames play); else the member the
    /// plugin says holds the floor, once their sound has begun to play or
    /// none has come within [`SOUND_GRACE_MS`]; else nobody.
    pub fn shown<'a>(&'a self, s: &'a CallSession, now: u64) -> Option<&'a Talker> {
        if s.talker == Some(Talker::Me) {
            return s.talker.as_ref();
        }
        let playing = self
            .stretches
            .iter()
            .filter(|x| x.session == s.id && x.from_ms <= now && now < x.until_ms)
            .max_by_key(|x| x.from_ms);
        if let Some(x) = playing {
            return Some(&x.talker);
        }
        let notified = s.talker.as_ref()?;
        let since = notified_at(s);
        let begun = self.stretches.iter().any(|x| {
            x.session == s.id && &x.talker == notified && x.from_ms >= since && x.from_ms <= now
        });
        (begun || now >= since.saturating_add(SOUND_GRACE_MS)).then_some(notified)
    }

    /// The next time after `now` at which [`Audible::shown`] may change
    /// for one of `sessions` without any new input.
    pub fn next_change(&self, sessions: &[CallSession], now: u64) -> Option<u64> {
        let stretches = self.stretches.iter().flat_map(|x| [x.from_ms, x.until_ms]);
        let graces = sessions
            .iter()
            .filter(|s| matches!(s.talker, Some(Talker::Member { .. })))
            .map(|s| notified_at(s).saturating_add(SOUND_GRACE_MS));
        stretches.chain(graces).filter(|&t| t > now).min()
    }
}

/// When the plugin said the current talker took the floor: the start of
/// the transmission under way.
fn notified_at(s: &CallSession) -> u64 {
    s.transmissions
        .first()
        .filter(|t| t.ended.is_none() && Some(&t.talker) == s.talker.as_ref())
        .map_or(0, |t| t.started)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::voice::{Ack, PttCommand, PttState, VoiceMessage};

    const SID: &str = "50351257998589953";

    fn member(id: u64) -> Talker {
        Talker::Member {
            id,
            name: format!("t{id}"),
        }
    }

    /// A session whose floor `talker` took at `since` (or nobody holds).
    fn session(talker: Option<Talker>, since: u64) -> CallSession {
        let mut p = PttState::default();
        let ok = || Ack {
            code: 1,
            message: String::new(),
        };
        p.command(0, PttCommand::StartCall { to_ids: vec![7, 8] });
        p.receive(
            0,
            &VoiceMessage::CreateGroup {
                transaction: 1,
                session_id: Some(sid()),
                ack: ok(),
            },
        );
        p.receive(0, &VoiceMessage::ReleaseMic(ok()));
        if let Some(Talker::Member { id, name }) = talker {
            p.receive(
                since,
                &VoiceMessage::MemberGetMic {
                    group_id: sid(),
                    member_id: id,
                    member_name: name,
                },
            );
        }
        p.sessions.remove(0)
    }

    fn sid() -> BigId {
        BigId::parse(SID).unwrap()
    }

    /// Frames 0..n of `who` scheduled from `first_at`, 20 ms apart.
    fn play(a: &mut Audible, now: u64, who: &Talker, first_at: u64, n: u64) {
        for i in 0..n {
            a.scheduled(now, &sid(), who, first_at + i * FRAME_MS, i == 0);
        }
    }

    #[test]
    fn the_name_shows_when_the_first_frame_plays_not_at_the_notification() {
        let mut a = Audible::default();
        let s = session(Some(member(7)), 1_000);
        assert_eq!(a.shown(&s, 1_000), None, "notified, nothing heard yet");
        play(&mut a, 1_010, &member(7), 1_080, 10);
        assert_eq!(a.shown(&s, 1_079), None, "scheduled, not yet playing");
        assert_eq!(a.next_change(std::slice::from_ref(&s), 1_010), Some(1_080));
        assert_eq!(a.shown(&s, 1_080), Some(&member(7)));
        assert_eq!(a.shown(&s, 1_200), Some(&member(7)));
    }

    #[test]
    fn the_name_stays_until_the_last_frame_has_played_after_the_floor_is_lost() {
        let mut a = Audible::default();
        play(&mut a, 1_010, &member(7), 1_080, 10); // plays until 1_280
        let after = session(None, 0); // memberLostMic came at 1_250
        assert_eq!(
            a.shown(&after, 1_250),
            Some(&member(7)),
            "its tail still plays"
        );
        assert_eq!(
            a.next_change(std::slice::from_ref(&after), 1_250),
            Some(1_280)
        );
        assert_eq!(a.shown(&after, 1_280), None, "cleared when it has played");
        assert_eq!(a.next_change(&[after], 1_280), None);
    }

    #[test]
    fn the_next_talker_replaces_the_last_when_its_sound_starts() {
        let mut a = Audible::default();
        play(&mut a, 1_010, &member(7), 1_080, 10); // until 1_280
        let s = session(Some(member(8)), 1_260);
        play(&mut a, 1_270, &member(8), 1_330, 5);
        assert_eq!(a.shown(&s, 1_270), Some(&member(7)), "7 is still heard");
        assert_eq!(a.shown(&s, 1_300), None, "between the two: nobody heard");
        assert_eq!(a.shown(&s, 1_330), Some(&member(8)));
    }

    #[test]
    fn without_sound_the_notification_is_shown_after_the_grace() {
        let a = Audible::default();
        let s = session(Some(member(7)), 1_000);
        assert_eq!(a.shown(&s, 1_000 + SOUND_GRACE_MS - 1), None);
        assert_eq!(
            a.next_change(std::slice::from_ref(&s), 1_000),
            Some(1_000 + SOUND_GRACE_MS)
        );
        assert_eq!(a.shown(&s, 1_000 + SOUND_GRACE_MS), Some(&member(7)));
    }

    #[test]
    fn a_gap_in_the_sound_keeps_the_floor_holder_shown() {
        let mut a = Audible::default();
        let s = session(Some(member(7)), 1_000);
        play(&mut a, 1_010, &member(7), 1_050, 3); // until 1_110
        assert_eq!(
            a.shown(&s, 1_150),
            Some(&member(7)),
            "holds the floor, sound begun"
        );
        // Another session's sound is not this one's.
        let mut other = Audible::default();
        other.scheduled(1_010, &BigId::parse("9").unwrap(), &member(7), 1_050, true);
        assert_eq!(other.shown(&s, 1_060), None);
    }

    #[test]
    fn the_dispatcher_talking_is_shown_at_once_and_old_stretches_are_forgotten() {
        let mut a = Audible::default();
        let mut s = session(None, 0);
        s.talker = Some(Talker::Me);
        assert_eq!(a.shown(&s, 5), Some(&Talker::Me));
        play(&mut a, 0, &member(7), 100, 2);
        a.scheduled(10_000, &sid(), &member(8), 10_100, true);
        assert_eq!(a.stretches.len(), 1, "what ended long ago is dropped");
    }
}
