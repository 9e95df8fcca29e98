#!/usr/bin/env python3
"""Writes the seed corpora fuzz/corpus/<target>/ from crates/proto/tests/fixtures/.

Decoder targets get the fixtures as they are (meeting events get their event
name as a first line); machine targets get realistic sequences in the step
format of proto::fuzzing: four header bytes (kind, a, b, wait), then text up
to a NUL byte. Run it again when fixtures or the step format change.
"""

from pathlib import Path
import shutil

FUZZ = Path(__file__).resolve().parent
FIXTURES = FUZZ.parent / "crates/proto/tests/fixtures"
CORPUS = FUZZ / "corpus"


def fixture(name):
    return (FIXTURES / name).read_bytes()


def write(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def step(kind, a=0, b=0, wait=0, text=b""):
    if isinstance(text, str):
        text = text.encode()
    return bytes([kind, a, b, wait]) + text + b"\0"


# 2 * wait² ms: 23 is just over a second, 71 over 10 s, 200 is 80 s.
SECOND, TEN_SECONDS, EIGHTY_SECONDS = 23, 71, 200


def decoder_seeds():
    for path in sorted((FIXTURES / "voice").glob("*.json")):
        write("voice_text", path.name, path.read_bytes())
    for path in sorted((FIXTURES / "meeting").glob("*_reply.json")):
        write("meeting_reply", path.name, path.read_bytes())
    for path in sorted((FIXTURES / "meeting").glob("event_*.json")):
        name = path.stem.removeprefix("event_")
        write("meeting_event", path.name, name.encode() + b"\n" + path.read_bytes())
    for path in sorted((FIXTURES / "call").glob("*.json")):
        write("call_reply", path.name, path.read_bytes())
    write("ivr_reply", "reply.json", fixture("ivr/reply.json"))
    write("ivr_extension_status", "extension_status_callback.json",
          fixture("ivr/extension_status_callback.json"))
    write("ivr_call_record", "call_record_callback.json",
          fixture("ivr/call_record_callback.json"))


# Voice kinds: 0 text(conn a), 1 opened(conn a), 2 closed(conn a), 3 login, 4 ptt (b even: start call), 5 logout.
def voice_seeds():
    def text(conn, name, wait=0):
        return step(0, conn, 0, wait, fixture(f"voice/{name}.json"))

    login = step(3, text="zydd") + step(1, 1) + text(1, "init_server_reply") + text(1, "login_reply")
    group_call = (
        step(4, 0, 0)
        + text(1, "create_group_reply")
        + text(1, "notify_member_get_mic")
        + text(1, "notify_member_lost_mic")
        + step(4, 0, 1)
        + text(1, "request_mic_reply")
        + text(1, "release_mic_reply")
        + text(1, "add_group_member_reply")
        + text(1, "notify_temp_call_member_update")
        + text(1, "temp_call_hangup_reply")
    )
    ringing = (
        text(1, "notify_temp_call_ring")
        + text(1, "notify_temp_call_answer")
        + text(1, "notify_temp_call_hangup")
    )
    # The socket drops, the retry opens socket 2 and logs in again; then logout.
    reconnect = (
        step(2, 1, 0, SECOND)
        + step(1, 2, 0, SECOND)
        + text(2, "init_server_reply")
        + text(2, "login_reply")
        + step(5)
        + text(2, "logout_reply")
    )
    write("voice_machine", "group_call", login + group_call + reconnect)
    write("voice_machine", "ringing", login + ringing)
    # No reply to initServer: the reply deadline passes.
    write("voice_machine", "silent_server", step(3, text="zydd") + step(1, 1) + step(1, 2, 0, TEN_SECONDS))


# Meeting: a first byte for the deployment (even: public), then steps.
# Kinds: 0 reply(id a, status index b: 0 is 200, 5 is 500, 7 no reply),
# 1 event(conn a, "name\ndata"), 2 stream opened(conn a), 3 stream failed(conn a), 4 join.
def meeting_seeds():
    def reply(id, name, status=0, wait=0):
        return step(0, id, status, wait, fixture(f"meeting/{name}.json"))

    def event(name, conn=1):
        return step(1, conn, 0, 0, name.encode() + b"\n" + fixture(f"meeting/event_{name}.json"))

    join = (
        step(4, text="1061")
        + reply(1, "check_join_reply")
        + reply(2, "new_session_reply")
        + reply(3, "service_status_reply")
        + step(2, 1)
        + reply(4, "participants_reply")
    )
    events = b"".join(
        event(name)
        for name in [
            "participant_create",
            "presentation_start",
            "layout",
            "message",
            "stage",
            "service_update",
            "participant_delete",
            "call_disconnected",
        ]
    )
    # The token is refreshed at 80 s; the stream drops and is probed again.
    refresh_and_drop = (
        step(0, 0, 0, EIGHTY_SECONDS)
        + reply(5, "refresh_session_reply")
        + step(3, 1)
        + step(0, 0, 0, SECOND)
        + reply(6, "service_status_reply")
        + step(2, 2)
        + event("disconnect", conn=2)
    )
    write("meeting_machine", "public", b"\0" + join + events + refresh_and_drop)
    write("meeting_machine", "enterprise", b"\1" + join + events)
    refused = step(4, text="1061") + step(0, 1, 0, 0, '{"code":"500","results":"bad password"}')
    write("meeting_machine", "refused", b"\0" + refused)


# Calls kinds: 0 reply(req a), 1 no reply(req a), 2 place(a odd: user 169918+b, even: service), 3 cancel(id a).
def call_seeds():
    def reply(req, name, wait=0):
        return step(0, req, 0, wait, fixture(f"call/{name}.json"))

    answered = (
        step(2, 1)
        + reply(1, "call_success")
        + reply(2, "state_1_requesting", SECOND)
        + reply(3, "state_2_ringing", SECOND)
        + reply(4, "state_3_connected", SECOND)
        + reply(5, "state_4_ended", SECOND)
    )
    cancelled = step(2, 0) + reply(1, "service_success") + step(3, 1) + reply(2, "cancel_success")
    refused = step(2, 1) + reply(1, "call_error_no_phone") + step(2, 0) + reply(2, "service_error_system")
    unreachable = step(2, 1) + reply(1, "call_success") + step(1, 2, 0, SECOND) + step(1, 3, 0, SECOND) + step(1, 4, 0, TEN_SECONDS)
    write("call_machine", "answered", answered)
    write("call_machine", "cancelled", cancelled)
    write("call_machine", "refused", refused)
    write("call_machine", "unreachable", unreachable)


def audio_seeds():
    """Binary frames of docs/audio.md: a mu-law uplink frame, Opus downlink
    ones (code 0; code 3 with VBR lengths and padding, for the packet check)."""
    import struct
    session = b"50351257998589953"
    def frame(kind, codec, seq, talker, payload):
        return (bytes([1, kind, codec, len(session)]) + session
                + struct.pack(">IQQ", seq, 1_000 + 20 * seq, talker) + payload)
    write("audio_frame", "mulaw_uplink", frame(1, 0, 0, 0, bytes([0xFF, 0x80, 0x00, 0x7F]) * 40))
    write("audio_frame", "opus_downlink", frame(2, 1, 7, 169918, bytes([0xFC, 0xFF, 0xFE])))
    code3 = bytes([17 << 3 | 3, 0x80 | 0x40 | 4, 2, 1, 2, 3]) + bytes(10) + bytes(2)
    write("audio_frame", "opus_code3_downlink", frame(2, 1, 8, 169918, code3))


if __name__ == "__main__":
    shutil.rmtree(CORPUS, ignore_errors=True)
    decoder_seeds()
    voice_seeds()
    meeting_seeds()
    call_seeds()
    audio_seeds()
