//! Readable documents: procedure reports (radiology, endoscopy, physiology findings) and
//! narrative documents (discharge summaries, referral letters), each as a title, a date, an
//! author and sections of text.

use super::newest_first;
use crate::model::{
    Clinical, Document, DocumentSection, ProcedureCategory, ProcedureReport, ProcedureStage, Record,
    RecordStatus, Timestamp,
};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Procedure(ProcedureCategory),
    Document,
}

impl DocumentKind {
    pub fn label_ja(self) -> &'static str {
        match self {
            DocumentKind::Procedure(c) => c.label_ja(),
            DocumentKind::Document => "文書",
        }
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct DocumentSectionView {
    pub title: String,
    /// 0 for a top-level section.
    pub depth: usize,
    pub text: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct DocumentView {
    pub record: usize,
    pub kind: DocumentKind,
    pub title: String,
    pub date: Option<Timestamp>,
    pub author: String,
    pub department: String,
    /// A report not yet final, as sent (`preliminary`), or `実施` for a procedure done without
    /// a report.
    pub status: String,
    pub sections: Vec<DocumentSectionView>,
    /// Attachments, one line each (title, type, address).
    pub attachments: Vec<String>,
}

impl DocumentView {
    /// The whole document as plain text, for printing and copying.
    pub fn as_text(&self) -> String {
        let mut out = format!("{}\n", self.title);
        let mut meta = Vec::new();
        if let Some(d) = self.date {
            meta.push(d.to_iso().replace('T', " "));
        }
        if !self.department.is_empty() {
            meta.push(self.department.clone());
        }
        if !self.author.is_empty() {
            meta.push(format!("作成: {}", self.author));
        }
        if !meta.is_empty() {
            out.push_str(&meta.join("  "));
            out.push('\n');
        }
        for s in &self.sections {
            let indent = "  ".repeat(s.depth);
            if !s.title.is_empty() {
                out.push_str(&format!("{indent}【{}】\n", s.title));
            }
            for line in s.text.lines() {
                out.push_str(&format!("{indent}{line}\n"));
            }
        }
        for a in &self.attachments {
            out.push_str(&format!("【添付】{a}\n"));
        }
        out
    }
}

/// Current procedure reports (with findings, or at least performed) and documents, newest first.
pub fn documents(records: &[Record]) -> Vec<DocumentView> {
    let mut out: Vec<DocumentView> = records
        .iter()
        .enumerate()
        .filter(|(_, r)| r.status == RecordStatus::Current)
        .filter_map(|(i, r)| match &r.data {
            Clinical::Procedure(p) if p.stage != ProcedureStage::Order => Some(procedure(i, p)),
            Clinical::Document(d) => Some(document(i, d)),
            _ => None,
        })
        .collect();
    out.sort_by(|a, b| newest_first(a.date, b.date).then(b.record.cmp(&a.record)));
    out
}

fn procedure(record: usize, p: &ProcedureReport) -> DocumentView {
    let mut sections = Vec::new();
    if !p.findings.trim().is_empty() {
        sections.push(DocumentSectionView {
            title: "所見".into(),
            depth: 0,
            text: p.findings.trim().to_string(),
        });
    } else {
        // No assembled report text: the observations of each item are the report.
        for item in &p.items {
            let lines: Vec<String> = item
                .observations
                .iter()
                .filter(|o| !o.value.trim().is_empty())
                .map(|o| {
                    let unit = if o.unit.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", o.unit)
                    };
                    format!("{}: {}{unit}", o.label.display(), o.value.trim())
                })
                .collect();
            if !lines.is_empty() {
                sections.push(DocumentSectionView {
                    title: item.procedure.display().to_string(),
                    depth: 0,
                    text: lines.join("\n"),
                });
            }
        }
    }
    let title = match p.title() {
        t if t.is_empty() => p.category.label_ja().to_string(),
        t => t,
    };
    DocumentView {
        record,
        kind: DocumentKind::Procedure(p.category),
        title,
        date: p.performed.or(p.ordered_at),
        author: p
            .orderer
            .as_ref()
            .map(|c| c.display().to_string())
            .unwrap_or_default(),
        department: p
            .department
            .as_ref()
            .map(|c| c.display().to_string())
            .unwrap_or_default(),
        status: match p.stage {
            ProcedureStage::Performed => "実施".into(),
            _ => String::new(),
        },
        sections,
        attachments: Vec::new(),
    }
}

fn document(record: usize, d: &Document) -> DocumentView {
    let mut sections = Vec::new();
    if !d.text.trim().is_empty() {
        sections.push(DocumentSectionView {
            title: String::new(),
            depth: 0,
            text: d.text.trim().to_string(),
        });
    }
    for s in &d.sections {
        flatten(s, 0, &mut sections);
    }
    // Attachments sent inline as text are read like sections.
    for a in d.attachments.iter().filter(|a| !a.text.trim().is_empty()) {
        sections.push(DocumentSectionView {
            title: if a.title.is_empty() {
                "添付".to_string()
            } else {
                a.title.clone()
            },
            depth: 0,
            text: a.text.trim().to_string(),
        });
    }
    let title = if !d.title.is_empty() {
        d.title.clone()
    } else if !d.doc_type.is_empty() {
        d.doc_type.display().to_string()
    } else {
        "文書".to_string()
    };
    DocumentView {
        record,
        kind: DocumentKind::Document,
        title,
        date: d.date,
        author: d
            .authors
            .iter()
            .map(|a| a.display())
            .filter(|a| !a.is_empty())
            .collect::<Vec<_>>()
            .join("、"),
        department: String::new(),
        status: match d.status.as_str() {
            "" | "final" | "current" | "amended" | "corrected" => String::new(),
            s => s.to_string(),
        },
        sections,
        attachments: d
            .attachments
            .iter()
            .map(|a| {
                [a.title.as_str(), a.content_type.as_str(), a.url.as_str()]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect(),
    }
}

fn flatten(s: &DocumentSection, depth: usize, out: &mut Vec<DocumentSectionView>) {
    let title = if s.title.is_empty() {
        s.code.display().to_string()
    } else {
        s.title.clone()
    };
    let mut text: Vec<String> = s
        .text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    text.extend(s.entries.iter().map(|e| format!("・{e}")));
    out.push(DocumentSectionView {
        title,
        depth,
        text: text.join("\n"),
    });
    for sub in &s.sections {
        flatten(sub, depth + 1, out);
    }
}
