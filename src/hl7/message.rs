//! A decoded HL7 v2 message: segments, and fields read by HL7 position (`PID-5`).

use std::fmt;

/// The message's delimiters from MSH-1 and MSH-2. JIS-Roman text turns `\` into `¥` and `~`
/// into `‾`; whatever MSH-2 says is what the rest of the message uses, so that is taken as is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Delimiters {
    pub field: char,
    pub component: char,
    pub repetition: char,
    pub escape: char,
    pub subcomponent: char,
}

impl Default for Delimiters {
    fn default() -> Self {
        Self {
            field: '|',
            component: '^',
            repetition: '~',
            escape: '\\',
            subcomponent: '&',
        }
    }
}

/// Why a file is not an HL7 message at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageError {
    Empty,
    NoMsh { first: String },
    BadMsh { reason: String },
}

impl fmt::Display for MessageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MessageError::Empty => write!(f, "empty file: no HL7 segments"),
            MessageError::NoMsh { first } => {
                write!(
                    f,
                    "not an HL7 message: the first segment is not MSH (starts with {first:?})"
                )
            }
            MessageError::BadMsh { reason } => write!(f, "unreadable MSH segment: {reason}"),
        }
    }
}

/// One segment: its text, split into fields on demand.
#[derive(Debug, Clone)]
pub struct Segment {
    /// 1-based segment number in the file.
    pub number: u32,
    text: String,
    is_msh: bool,
    delims: Delimiters,
}

impl Segment {
    fn parse(number: u32, text: String, delims: Delimiters) -> Self {
        let is_msh = text.starts_with("MSH");
        Self {
            number,
            text,
            is_msh,
            delims,
        }
    }

    /// The text after the segment id and its separator. Fields are found by scanning it when
    /// asked for, not stored: a hostile segment of millions of separators costs no memory.
    fn body(&self) -> Option<&str> {
        let first = self.text.find(self.delims.field)?;
        self.text.get(first + self.delims.field.len_utf8()..)
    }

    /// The three-character segment id (`PID`).
    pub fn id(&self) -> &str {
        let end = self.text.find(self.delims.field).unwrap_or(self.text.len());
        &self.text[..end]
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Field `n` by HL7 numbering (`PID-5` is `field(5)`; `MSH-9` is `field(9)`). A field that
    /// was not sent is empty.
    pub fn field(&self, n: usize) -> Field<'_> {
        let index = if self.is_msh {
            // MSH-1 is the separator itself and MSH-2 the first field after it.
            if n == 1 {
                return Field::new("|", self.delims);
            }
            n.checked_sub(2)
        } else {
            n.checked_sub(1)
        };
        let raw = index
            .and_then(|i| self.body()?.split(self.delims.field).nth(i))
            .unwrap_or("");
        Field::new(raw, self.delims)
    }

    /// Number of fields sent after the id.
    pub fn field_count(&self) -> usize {
        self.body().map_or(0, |b| b.split(self.delims.field).count()) + usize::from(self.is_msh)
    }
}

/// A field, a component or a subcomponent: raw text with the message's delimiters.
#[derive(Debug, Clone, Copy)]
pub struct Field<'a> {
    raw: &'a str,
    delims: Delimiters,
}

impl<'a> Field<'a> {
    fn new(raw: &'a str, delims: Delimiters) -> Self {
        Self { raw, delims }
    }

    pub fn raw(&self) -> &'a str {
        self.raw
    }

    /// The message's delimiters, for readers that judge how a value was split.
    pub fn delimiters(&self) -> Delimiters {
        self.delims
    }

    /// Empty, or the HL7 explicit null `""`.
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty() || self.raw == "\"\""
    }

    /// The repetitions (`~`).
    pub fn reps(&self) -> impl Iterator<Item = Field<'a>> + 'a {
        let d = self.delims;
        self.raw.split(d.repetition).map(move |r| Field::new(r, d))
    }

    /// Component `n` (1-based, `^`) of the first repetition.
    pub fn comp(&self, n: usize) -> Field<'a> {
        let first = self.raw.split(self.delims.repetition).next().unwrap_or("");
        nth(first, self.delims.component, n, self.delims)
    }

    /// Subcomponent `n` (1-based, `&`).
    pub fn sub(&self, n: usize) -> Field<'a> {
        nth(self.raw, self.delims.subcomponent, n, self.delims)
    }

    /// The value as a person reads it: escapes resolved, `""` as empty, outer blanks kept
    /// (lab values like `  +-` mean something), but a value of only blanks is empty.
    pub fn text(&self) -> String {
        if self.is_empty() {
            return String::new();
        }
        let s = unescape(self.raw, self.delims);
        if s.trim().is_empty() { String::new() } else { s }
    }

    /// [`Field::text`] trimmed: for names, codes and ids.
    pub fn trimmed(&self) -> String {
        self.text().trim().to_string()
    }
}

fn nth(s: &str, sep: char, n: usize, delims: Delimiters) -> Field<'_> {
    let piece = n.checked_sub(1).and_then(|i| s.split(sep).nth(i)).unwrap_or("");
    Field::new(piece, delims)
}

/// Resolves `\F\ \S\ \T\ \R\ \E\` and `\.br\`; drops highlighting `\H\ \N\`; keeps anything
/// else literally so that nothing the sender wrote disappears.
fn unescape(s: &str, d: Delimiters) -> String {
    if !s.contains(d.escape) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find(d.escape) {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + d.escape.len_utf8()..];
        match after.find(d.escape) {
            Some(end) => {
                let code = &after[..end];
                match code {
                    "F" => out.push(d.field),
                    "S" => out.push(d.component),
                    "T" => out.push(d.subcomponent),
                    "R" => out.push(d.repetition),
                    "E" => out.push(d.escape),
                    ".br" => out.push('\n'),
                    "H" | "N" => {}
                    _ => {
                        out.push(d.escape);
                        out.push_str(code);
                        out.push(d.escape);
                    }
                }
                rest = &after[end + d.escape.len_utf8()..];
            }
            None => {
                out.push(d.escape);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A parsed message: MSH first, then every other segment in order.
#[derive(Debug, Clone)]
pub struct Message {
    pub delimiters: Delimiters,
    pub segments: Vec<Segment>,
}

impl Message {
    /// Parses decoded segments. Only a missing or unreadable MSH makes this fail; odd segments
    /// are kept for the mapper to judge.
    pub fn parse(segments: Vec<(u32, String)>) -> Result<Self, MessageError> {
        let mut iter = segments.into_iter();
        let (n, first) = iter.next().ok_or(MessageError::Empty)?;
        // A UTF-8 BOM or stray blanks before MSH are tolerated.
        let first = first.trim_start_matches(['\u{feff}', ' ', '\t']).to_string();
        if !first.starts_with("MSH") {
            let shown: String = first.chars().take(20).collect();
            return Err(MessageError::NoMsh { first: shown });
        }
        let delimiters = read_delimiters(&first)?;
        let mut out = vec![Segment::parse(n, first, delimiters)];
        for (n, text) in iter {
            out.push(Segment::parse(n, text, delimiters));
        }
        Ok(Self {
            delimiters,
            segments: out,
        })
    }

    pub fn msh(&self) -> &Segment {
        // `parse` guarantees the first segment is MSH.
        &self.segments[0]
    }

    /// Segments with this id, in order.
    pub fn all<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Segment> + 'a {
        self.segments.iter().filter(move |s| s.id() == id)
    }

    pub fn first(&self, id: &str) -> Option<&Segment> {
        self.segments.iter().find(|s| s.id() == id)
    }

    /// MSH-9.1 and MSH-9.2, e.g. (`RDE`, `O11`).
    pub fn message_type(&self) -> (String, String) {
        let f = self.msh().field(9);
        (f.comp(1).trimmed(), f.comp(2).trimmed())
    }

    /// MSH-10.
    pub fn control_id(&self) -> String {
        self.msh().field(10).trimmed()
    }
}

fn read_delimiters(msh: &str) -> Result<Delimiters, MessageError> {
    let mut chars = msh.chars().skip(3);
    let field = chars.next().ok_or_else(|| MessageError::BadMsh {
        reason: "MSH has no field separator".into(),
    })?;
    if field.is_alphanumeric() || field.is_whitespace() {
        return Err(MessageError::BadMsh {
            reason: format!("field separator {field:?} is not usable"),
        });
    }
    let enc: Vec<char> = chars.take_while(|c| *c != field).collect();
    if enc.len() < 2 {
        return Err(MessageError::BadMsh {
            reason: format!(
                "MSH-2 encoding characters {:?} are incomplete",
                enc.iter().collect::<String>()
            ),
        });
    }
    let d = Delimiters::default();
    Ok(Delimiters {
        field,
        component: enc[0],
        repetition: enc[1],
        escape: enc.get(2).copied().unwrap_or(d.escape),
        subcomponent: enc.get(3).copied().unwrap_or(d.subcomponent),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(lines: &[&str]) -> Message {
        Message::parse(
            lines
                .iter()
                .enumerate()
                .map(|(i, l)| (i as u32 + 1, l.to_string()))
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn fields_by_hl7_number() {
        let m = msg(&[
            "MSH|^~\\&|HIS123|SEND|GW|RCV|20111220224447.3399||ADT^A08^ADT_A01|20111220000001|P|2.5",
            "PID|0001||9999013^^^^PI||患者^太郎^^^^^L^I~カンジャ^タロウ^^^^^L^P||19480405|M",
        ]);
        assert_eq!(m.message_type(), ("ADT".into(), "A08".into()));
        assert_eq!(m.control_id(), "20111220000001");
        assert_eq!(m.msh().field(1).raw(), "|");
        assert_eq!(m.msh().field(2).raw(), "^~\\&");
        let pid = m.first("PID").unwrap();
        assert_eq!(pid.id(), "PID");
        assert_eq!(pid.field(3).comp(1).text(), "9999013");
        let names: Vec<String> = pid.field(5).reps().map(|r| r.comp(1).text()).collect();
        assert_eq!(names, ["患者", "カンジャ"]);
        assert_eq!(pid.field(5).reps().nth(1).unwrap().comp(8).text(), "P");
        assert_eq!(pid.field(8).text(), "M");
        assert!(pid.field(40).is_empty());
    }

    #[test]
    fn subcomponents_and_escapes() {
        let m = msg(&[
            "MSH|^~\\&|A",
            "TQ1|1||1013044400000000&内服・経口・１日３回朝昼夕食後&JAMISDP01",
            "OBX|1|TX|X||a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\.br\\g\\H\\h\\N\\|\"\"",
        ]);
        let tq1 = m.first("TQ1").unwrap();
        assert_eq!(
            tq1.field(3).comp(1).sub(2).text(),
            "内服・経口・１日３回朝昼夕食後"
        );
        let obx = m.first("OBX").unwrap();
        assert_eq!(obx.field(5).text(), "a|b^c&d~e\\f\ngh");
        assert!(obx.field(6).is_empty());
        assert_eq!(obx.field(6).text(), "");
    }

    #[test]
    fn yen_as_escape_character() {
        let m = msg(&["MSH|^~¥&|A", "OBX|1|ST|X||1¥S¥2"]);
        assert_eq!(m.delimiters.escape, '¥');
        assert_eq!(m.first("OBX").unwrap().field(5).text(), "1^2");
    }

    #[test]
    fn rejects_what_is_not_hl7() {
        assert_eq!(Message::parse(vec![]).unwrap_err(), MessageError::Empty);
        assert!(matches!(
            Message::parse(vec![(1, "hello".into())]).unwrap_err(),
            MessageError::NoMsh { .. }
        ));
        assert!(matches!(
            Message::parse(vec![(1, "MSH".into())]).unwrap_err(),
            MessageError::BadMsh { .. }
        ));
    }
}
