//! HL7 v2 as SS-MIX2 sends it: bytes → decoded segments → fields, components, timestamps.
//! Decoding happens per segment and before any field splitting, because ISO-2022-JP text
//! contains the delimiter bytes `| ^ ~ \ &` inside its two-byte characters.

mod decode;
mod excerpt;
mod message;
mod time;

pub use decode::{DecodedText, MAX_SEGMENTS, TextEncoding, decode_segments};
pub use excerpt::excerpt;
pub use message::{Delimiters, Field, Message, MessageError, Segment};
pub use time::{TimeError, parse_timestamp};
