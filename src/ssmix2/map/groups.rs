//! Splitting a message into the segment groups that belong to one order.

use crate::hl7::{Message, Segment};

/// Groups that each start at a segment with one of `starters` (usually ORC). Segments before
/// the first starter (MSH, PID, PV1 ...) are not part of any group.
pub fn groups<'m>(msg: &'m Message, starters: &[&str]) -> Vec<Vec<&'m Segment>> {
    let mut out: Vec<Vec<&Segment>> = Vec::new();
    for seg in &msg.segments {
        if starters.contains(&seg.id()) {
            out.push(vec![seg]);
        } else if let Some(g) = out.last_mut() {
            g.push(seg);
        }
    }
    out
}

pub fn find<'m>(group: &[&'m Segment], id: &str) -> Option<&'m Segment> {
    group.iter().copied().find(|s| s.id() == id)
}

pub fn find_all<'g, 'm>(group: &'g [&'m Segment], id: &'g str) -> impl Iterator<Item = &'m Segment> + 'g {
    group.iter().copied().filter(move |s| s.id() == id)
}
