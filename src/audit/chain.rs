//! The hash chain: each line carries its sequence number and the SHA-256 of the line before
//! it (the bytes of that line without its newline). The first line's `prev` is 64 zeros.

use super::event::{Event, Operator};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One line of the log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub seq: u64,
    /// Local time with its offset, to the millisecond (RFC 3339).
    pub time: String,
    pub operator: Option<Operator>,
    #[serde(flatten)]
    pub event: Event,
    pub prev: String,
}

/// SHA-256 of a line's bytes (without the newline), lowercase hex.
pub fn hash(line: &[u8]) -> String {
    Sha256::digest(line).iter().map(|b| format!("{b:02x}")).collect()
}

/// The head of a chain: the last good line's number and hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    pub seq: u64,
    pub hash: String,
}

impl Default for Head {
    fn default() -> Self {
        Head {
            seq: 0,
            hash: GENESIS.to_string(),
        }
    }
}

/// Why verification stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Broken {
    /// 1-based line number in the file.
    pub line: usize,
    pub why: String,
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.why)
    }
}

/// What a whole log holds when its chain is intact.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Verified {
    pub lines: u64,
    pub head: Head,
    /// Torn lines each followed by the recovery line that accounts for them.
    pub recovered: Vec<usize>,
    /// The last line is torn and not yet recovered (the viewer recovers it when it next
    /// starts): its line number.
    pub torn_tail: Option<usize>,
}

/// Checks the chain of a whole log. The first line that breaks it is named: a changed line
/// breaks the next line's `prev`; a removed, inserted or reordered line breaks `seq` or `prev`.
pub fn verify(bytes: &[u8]) -> Result<Verified, Broken> {
    let mut out = Verified::default();
    let mut head = Head::default();
    // A torn line waiting for its recovery line: (line number, its hash, its length).
    let mut torn: Option<(usize, String, u64)> = None;
    let ends_with_newline = bytes.last().is_none_or(|b| *b == b'\n');
    let raw_lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    // `split` yields one empty piece after the final newline.
    let count = if ends_with_newline {
        raw_lines.len().saturating_sub(1)
    } else {
        raw_lines.len()
    };
    for (i, raw) in raw_lines.iter().take(count).enumerate() {
        let number = i + 1;
        let is_last = number == count;
        let parsed: Option<Line> = serde_json::from_slice(raw).ok();
        let Some(line) = parsed else {
            if is_last && !ends_with_newline {
                out.torn_tail = Some(number);
                break;
            }
            if torn.is_some() {
                return Err(Broken {
                    line: number,
                    why: "two unreadable lines in a row".into(),
                });
            }
            torn = Some((number, hash(raw), raw.len() as u64));
            continue;
        };
        if let Some((torn_line, torn_hash, torn_len)) = torn.take() {
            match &line.event {
                Event::Recovery {
                    torn_bytes,
                    torn_sha256,
                } if *torn_sha256 == torn_hash && *torn_bytes == torn_len => {
                    out.recovered.push(torn_line);
                }
                _ => {
                    return Err(Broken {
                        line: torn_line,
                        why: "not a log line, and no recovery line accounts for it".into(),
                    });
                }
            }
        }
        if line.seq != head.seq + 1 {
            return Err(Broken {
                line: number,
                why: format!("sequence {} where {} was due", line.seq, head.seq + 1),
            });
        }
        if line.prev != head.hash {
            return Err(Broken {
                line: number,
                why: "does not follow the line before it (hash differs: that line was changed, \
                      removed or moved)"
                    .into(),
            });
        }
        head = Head {
            seq: line.seq,
            hash: hash(raw),
        };
        out.lines += 1;
    }
    if let Some((torn_line, _, _)) = torn {
        return Err(Broken {
            line: torn_line,
            why: "not a log line, and no recovery line accounts for it".into(),
        });
    }
    out.head = head;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(seq: u64, prev: &str, event: Event) -> Vec<u8> {
        serde_json::to_vec(&Line {
            seq,
            time: "2026-12-07T10:00:00.000+09:00".into(),
            operator: None,
            event,
            prev: prev.into(),
        })
        .expect("json")
    }

    fn log(n: u64) -> Vec<Vec<u8>> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let l = line(
                    seq,
                    &prev,
                    Event::ChartOpened {
                        patient: format!("P{seq}"),
                    },
                );
                prev = hash(&l);
                l
            })
            .collect()
    }

    fn join(lines: &[Vec<u8>]) -> Vec<u8> {
        let mut out = Vec::new();
        for l in lines {
            out.extend_from_slice(l);
            out.push(b'\n');
        }
        out
    }

    #[test]
    fn an_intact_log_verifies_to_its_head() {
        let lines = log(5);
        let v = verify(&join(&lines)).expect("intact");
        assert_eq!(v.lines, 5);
        assert_eq!(v.head.seq, 5);
        assert_eq!(v.head.hash, hash(&lines[4]));
        assert_eq!(verify(b"").expect("empty").lines, 0);
    }

    #[test]
    fn edits_deletions_insertions_and_moves_name_the_first_bad_line() {
        let lines = log(6);
        // An edit of line 3 (patient P3 → P9) breaks line 4's link.
        let mut edited = lines.clone();
        edited[2] = String::from_utf8(edited[2].clone())
            .expect("utf8")
            .replace("P3", "P9")
            .into_bytes();
        assert_eq!(verify(&join(&edited)).expect_err("edited").line, 4);
        // Line 3 removed: line 4 (now third) has the wrong sequence.
        let mut removed = lines.clone();
        removed.remove(2);
        assert_eq!(verify(&join(&removed)).expect_err("removed").line, 3);
        // Lines 3 and 4 swapped.
        let mut moved = lines.clone();
        moved.swap(2, 3);
        assert_eq!(verify(&join(&moved)).expect_err("moved").line, 3);
        // A line inserted after line 2, even with a good-looking sequence number.
        let mut inserted = lines.clone();
        inserted.insert(2, line(3, &hash(&lines[1]), Event::SignOut));
        assert_eq!(verify(&join(&inserted)).expect_err("inserted").line, 4);
        // The last line edited: nothing after it links to it, but its own seq/prev still hold,
        // so only the chain head differs (printed footers and the head catch that).
        let mut last = lines.clone();
        last[5] = String::from_utf8(last[5].clone())
            .expect("utf8")
            .replace("P6", "P7")
            .into_bytes();
        let v = verify(&join(&last)).expect("chain holds");
        assert_ne!(v.head.hash, hash(&lines[5]));
    }

    #[test]
    fn a_torn_line_is_accepted_only_with_its_recovery_line() {
        let lines = log(3);
        let mut bytes = join(&lines[..2]);
        let torn = &lines[2][..20];
        bytes.extend_from_slice(torn);
        let v = verify(&bytes).expect("torn tail");
        assert_eq!(v.torn_tail, Some(3));
        assert_eq!(v.lines, 2);
        // Recovered: a newline, then the recovery line continuing from line 2.
        bytes.push(b'\n');
        let rec = line(
            3,
            &hash(&lines[1]),
            Event::Recovery {
                torn_bytes: torn.len() as u64,
                torn_sha256: hash(torn),
            },
        );
        bytes.extend_from_slice(&rec);
        bytes.push(b'\n');
        let v = verify(&bytes).expect("recovered");
        assert_eq!(v.recovered, vec![3]);
        assert_eq!(v.lines, 3);
        // A garbage line in the middle with no recovery line is a break.
        let mut bad = join(&lines[..1]);
        bad.extend_from_slice(b"{garbage\n");
        bad.extend_from_slice(&join(&lines[1..]));
        assert_eq!(verify(&bad).expect_err("garbage").line, 2);
    }
}
