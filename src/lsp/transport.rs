//! The protocol's framing on standard input and output: each message a
//! `Content-Length` header, a blank line and that many bytes of JSON.
//!
//! Read here rather than by `lsp-server`'s own stdio transport, which ends
//! the program's input on the first body that is not JSON-RPC. This one
//! goes on past a message it cannot use: a body that is not JSON or not
//! UTF-8 is skipped (a request it can still find the id of is answered
//! with an error); header lines may end in `\r\n` or `\n`; headers other
//! than `Content-Length` are ignored. What cannot be read past stops the
//! server with a reason: a message longer than [`MAX_MESSAGE_BYTES`] (its
//! length could be anything, so the next message cannot be found), a
//! header line longer than [`MAX_HEADER_BYTES`], a failed read.

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, RequestId, Response};
use std::io::{BufRead, Read, Write};
use std::thread::JoinHandle;

/// The longest message read: a rule file at its size limit, escaped as
/// JSON, fits many times over.
pub const MAX_MESSAGE_BYTES: u64 = 64 * 1024 * 1024;

/// The longest header line read.
pub const MAX_HEADER_BYTES: u64 = 1024;

/// The threads that read standard input and write standard output, and
/// why reading stopped, if it did not stop at `exit` or the end of input.
pub(super) struct Threads {
    writer: JoinHandle<std::io::Result<()>>,
    stopped: Receiver<String>,
}

impl Threads {
    /// Waits for everything sent to be written; why reading stopped early,
    /// if it did.
    pub(super) fn finish(self) -> Result<(), String> {
        let written = self.writer.join();
        if let Ok(reason) = self.stopped.try_recv() {
            return Err(reason);
        }
        match written {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(format!("writing to the editor failed: {e}")),
            Err(_) => Err("writing to the editor failed".into()),
        }
    }
}

/// A connection over standard input and output.
pub(super) fn stdio() -> (Connection, Threads) {
    let (to_server, from_client) = crossbeam_channel::unbounded();
    let (to_client, from_server) = crossbeam_channel::unbounded::<Message>();
    let (stop, stopped) = crossbeam_channel::bounded(1);
    let answers = to_client.clone();
    // The reader is never joined: it may be blocked on an input the editor
    // keeps open after `exit`.
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        if let Err(reason) = read(&mut stdin.lock(), &to_server, &answers) {
            let _ = stop.send(reason);
        }
    });
    let writer = std::thread::spawn(move || {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        for message in from_server {
            message.write(&mut out)?;
            out.flush()?;
        }
        Ok(())
    });
    let connection = Connection {
        sender: to_client,
        receiver: from_client,
    };
    (connection, Threads { writer, stopped })
}

/// Reads messages from `input` to `server` until the input ends, the
/// server stops listening or `exit` is read; a request whose body is not
/// a message gets its error on `answers`. The error is why reading had to
/// stop early.
pub(super) fn read(
    input: &mut impl BufRead,
    server: &Sender<Message>,
    answers: &Sender<Message>,
) -> Result<(), String> {
    loop {
        let Some(length) = header(input)? else {
            return Ok(());
        };
        let mut body = Vec::new();
        let read = input
            .by_ref()
            .take(length)
            .read_to_end(&mut body)
            .map_err(|e| format!("reading from the editor failed: {e}"))?;
        if (read as u64) < length {
            return Ok(());
        }
        match serde_json::from_slice::<Message>(&body) {
            Ok(message) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if server.send(message).is_err() || exit {
                    return Ok(());
                }
            }
            Err(e) => {
                eprintln!("mandate lsp: skipped a message that is not JSON-RPC: {e}");
                if let Some(id) = request_id(&body) {
                    let refused = Response::new_err(
                        id,
                        ErrorCode::InvalidRequest as i32,
                        format!("this message is not a request of the protocol: {e}"),
                    );
                    let _ = answers.send(refused.into());
                }
            }
        }
    }
}

/// The id of a JSON object with a number or text `id`, if the body is one.
fn request_id(body: &[u8]) -> Option<RequestId> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    match value.get("id")? {
        serde_json::Value::Number(n) => Some(RequestId::from(i32::try_from(n.as_i64()?).ok()?)),
        serde_json::Value::String(s) => Some(RequestId::from(s.clone())),
        _ => None,
    }
}

/// Reads one header block; the body's length, or `None` at the end of
/// the input. A block without a `Content-Length` is skipped.
fn header(input: &mut impl BufRead) -> Result<Option<u64>, String> {
    loop {
        let mut length = None;
        let mut lines = 0;
        loop {
            let mut line = Vec::new();
            let read = input
                .by_ref()
                .take(MAX_HEADER_BYTES)
                .read_until(b'\n', &mut line)
                .map_err(|e| format!("reading from the editor failed: {e}"))?;
            if read == 0 {
                return Ok(None);
            }
            if !line.ends_with(b"\n") && read as u64 >= MAX_HEADER_BYTES {
                return Err(format!(
                    "the editor sent a header line longer than {MAX_HEADER_BYTES} bytes"
                ));
            }
            let line = String::from_utf8_lossy(&line);
            let line = line.trim();
            if line.is_empty() {
                if lines == 0 {
                    // A blank line between messages.
                    continue;
                }
                break;
            }
            lines += 1;
            if let Some((name, value)) = line.split_once(':') {
                if name.trim().eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse::<u64>().ok();
                    if length.is_none() {
                        eprintln!("mandate lsp: skipped a Content-Length that is not a number");
                    }
                }
            }
        }
        match length {
            Some(n) if n > MAX_MESSAGE_BYTES => {
                return Err(format!(
                    "the editor sent a message of {n} bytes; the most mandate lsp reads is {MAX_MESSAGE_BYTES}"
                ))
            }
            Some(n) => return Ok(Some(n)),
            None => eprintln!("mandate lsp: skipped a header without a Content-Length"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(body: &[u8]) -> Vec<u8> {
        let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        out.extend_from_slice(body);
        out
    }

    fn messages(input: &[u8]) -> (Vec<Message>, Vec<Message>, Result<(), String>) {
        let (server, received) = crossbeam_channel::unbounded();
        let (answers, answered) = crossbeam_channel::unbounded();
        let result = read(&mut std::io::Cursor::new(input), &server, &answers);
        drop((server, answers));
        (received.iter().collect(), answered.iter().collect(), result)
    }

    const PING: &[u8] = br#"{"jsonrpc": "2.0", "id": 1, "method": "ping"}"#;

    #[test]
    fn reads_past_what_it_cannot_use() {
        let mut input = framed(b"{not json");
        input.extend(framed(
            b"{\"jsonrpc\": \"2.0\", \"id\": 7, \"nope\": \"caf\xe9\"}",
        ));
        input.extend(framed(br#"{"jsonrpc": "2.0", "id": 8, "params": 1}"#));
        input.extend(b"Content-Length: 2\n\n{}");
        input.extend(b"X-Other: 1\r\n\r\n");
        input.extend(b"Content-Length: many\r\n\r\n");
        let header = format!(
            "\r\ncontent-length: {}\r\nContent-Type: x\r\n\r\n",
            PING.len()
        );
        input.extend(header.as_bytes());
        input.extend(PING);
        let (received, answered, result) = messages(&input);
        assert_eq!(result, Ok(()));
        assert_eq!(received.len(), 1, "{received:?}");
        assert!(matches!(&received[0], Message::Request(r) if r.method == "ping"));
        // The request with id 8 is answered; 7 is not UTF-8, so it has none.
        assert_eq!(answered.len(), 1, "{answered:?}");
        assert!(matches!(&answered[0], Message::Response(r) if r.id == RequestId::from(8)));
    }

    #[test]
    fn stops_with_a_reason_where_it_cannot_read_on() {
        let input = b"Content-Length: 18446744073709551615\r\n\r\n{}";
        let (_, _, result) = messages(input);
        assert!(result.is_err_and(|e| e.contains("18446744073709551615 bytes")));
        let long = format!("Content-Length: 2{}\r\n\r\n{{}}", " ".repeat(2000));
        let (_, _, result) = messages(long.as_bytes());
        assert!(result.is_err_and(|e| e.contains("header line longer")));
        // A body cut short, or `exit`: the end, without complaint.
        assert_eq!(messages(b"Content-Length: 99\r\n\r\n{}").2, Ok(()));
        let mut input = framed(br#"{"jsonrpc": "2.0", "method": "exit"}"#);
        input.extend(framed(PING));
        let (received, _, result) = messages(&input);
        assert_eq!((received.len(), result), (1, Ok(())));
    }
}
