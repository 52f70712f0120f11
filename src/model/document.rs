//! Clinical documents: referral letters, discharge summaries and other narrative reports, kept as
//! sections of readable text.

use super::{Clinician, Code, Timestamp};
use serde::{Deserialize, Serialize};

/// One section of a document: a title, its text as a person reads it, and sub-sections.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DocumentSection {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(default, skip_serializing_if = "Code::is_empty")]
    pub code: Code,
    /// Narrative text, markup removed, line breaks kept.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// What the section's structured entries are, one line each (their own records hold the data).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entries: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<DocumentSection>,
}

/// A file attached to a document (a PDF, an image, a text), listed with what is known of it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DocumentAttachment {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub content_type: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// The content as text, when it was sent inline as text (plain text or HTML).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Document type (診療情報提供書 `57133-1`, 退院時サマリー `18842-5` ...).
    #[serde(default, skip_serializing_if = "Code::is_empty")]
    pub doc_type: Code,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// Status as sent (`final`, `preliminary`, `current` ...).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<Clinician>,
    /// A short description, or the narrative of the document as a whole.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<DocumentSection>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<DocumentAttachment>,
}

impl Document {
    pub fn summary(&self) -> String {
        let title = if self.title.is_empty() {
            self.doc_type.display().to_string()
        } else {
            self.title.clone()
        };
        let mut s = format!("[文書] {title}");
        if !self.doc_type.is_empty() && self.doc_type.display() != title {
            s.push_str(&format!("（{}）", self.doc_type.display()));
        }
        if let Some(a) = self.authors.first() {
            s.push_str(&format!(" 作成:{}", a.display()));
        }
        let n = count_sections(&self.sections);
        if n > 0 {
            s.push_str(&format!(" {n}節"));
        }
        if !self.attachments.is_empty() {
            s.push_str(&format!(" 添付{}件", self.attachments.len()));
        }
        s
    }

    /// The whole document as plain text: title, then each section's title and text, indented
    /// by depth. This is what a person reads when the structured view is not enough.
    pub fn as_text(&self) -> String {
        let mut out = String::new();
        if !self.title.is_empty() {
            out.push_str(&self.title);
            out.push('\n');
        }
        if !self.text.is_empty() {
            out.push_str(&self.text);
            out.push('\n');
        }
        for s in &self.sections {
            write_section(&mut out, s, 0);
        }
        for a in &self.attachments {
            out.push_str(&format!("【添付】{} {} {}\n", a.title, a.content_type, a.url));
            if !a.text.is_empty() {
                out.push_str(&a.text);
                out.push('\n');
            }
        }
        out
    }
}

fn count_sections(sections: &[DocumentSection]) -> usize {
    sections.iter().map(|s| 1 + count_sections(&s.sections)).sum()
}

fn write_section(out: &mut String, s: &DocumentSection, depth: usize) {
    let indent = "  ".repeat(depth);
    let title = if s.title.is_empty() {
        s.code.display()
    } else {
        &s.title
    };
    out.push_str(&format!("{indent}【{title}】\n"));
    for line in s.text.lines().filter(|l| !l.trim().is_empty()) {
        out.push_str(&format!("{indent}  {}\n", line.trim()));
    }
    for e in &s.entries {
        out.push_str(&format!("{indent}  ・{e}\n"));
    }
    for sub in &s.sections {
        write_section(out, sub, depth + 1);
    }
}
