//! Composition and DocumentReference → document: section titles and narrative text, readable as
//! a letter (referral letters, discharge summaries).

use super::common::{concept, concept_opt, opt, s, ts};
use super::{Ctx, Mapped, id_of, status_of, text_of};
use crate::fhir::text::{base64_decode, xhtml_to_text};
use crate::model::{Clinical, Clinician, Document, DocumentAttachment, DocumentSection};
use lifeboat_fhir_parse::fhirbolt::model::r4::resources::{
    Composition, CompositionSection, DocumentReference,
};
use lifeboat_fhir_parse::fhirbolt::model::r4::types::{Attachment, Reference};

/// Sections nest; real documents are a few levels deep. Deeper ones are flattened into the
/// last level kept, so hostile input cannot recurse without bound.
const MAX_DEPTH: usize = 16;

fn section(sec: &CompositionSection, depth: usize) -> DocumentSection {
    let mut out = DocumentSection {
        title: s(&sec.title),
        code: sec.code.as_deref().map(concept).unwrap_or_default(),
        text: sec
            .text
            .as_deref()
            .map(|n| xhtml_to_text(&n.div.value))
            .unwrap_or_default(),
        entries: sec.entry.iter().filter_map(|r| opt(&r.display)).collect(),
        sections: Vec::new(),
    };
    // Entries without a display are records of their own; say how many rather than list ids.
    let bare = sec.entry.iter().filter(|r| opt(&r.display).is_none()).count();
    if bare > 0 {
        out.entries
            .push(format!("（構造化データ {bare}件: 各記録を参照）"));
    }
    if let Some(reason) = concept_opt(&sec.empty_reason) {
        out.entries.push(format!("（空欄の理由: {}）", reason.display()));
    }
    if depth < MAX_DEPTH {
        out.sections = sec.section.iter().map(|x| section(x, depth + 1)).collect();
    }
    out
}

fn people(refs: &[Reference], ctx: &Ctx) -> Vec<Clinician> {
    refs.iter().filter_map(|r| ctx.clinician(r)).collect()
}

pub fn composition(c: &Composition, ctx: &Ctx) -> Mapped {
    let (patient, problems) = ctx.patient(c.subject.as_deref(), &c.contained);
    let sections: Vec<DocumentSection> = c.section.iter().map(|x| section(x, 0)).collect();
    let text = if sections.is_empty() {
        c.text
            .as_deref()
            .map(|n| xhtml_to_text(&n.div.value))
            .unwrap_or_default()
    } else {
        String::new()
    };
    let doc = Document {
        doc_type: concept(&c.r#type),
        title: text_of(&c.title),
        status: text_of(&c.status),
        date: c.date.value.as_deref().and_then(crate::fhir::time::parse),
        authors: people(&c.author, ctx),
        text,
        sections,
        attachments: Vec::new(),
    };
    let status = status_of(&doc.status);
    let rec = ctx.record(
        patient,
        "Composition",
        id_of(&c.id).as_deref(),
        c.meta.as_deref(),
        status,
        Clinical::Document(doc),
    );
    Mapped::one(rec, problems)
}

/// An attachment, with its content as text when it came inline as text.
fn attachment(a: &Attachment) -> DocumentAttachment {
    let content_type = s(&a.content_type);
    let text = if content_type.starts_with("text/") || content_type.is_empty() {
        a.data
            .as_ref()
            .and_then(|d| d.value.as_deref())
            .and_then(base64_decode)
            .and_then(|b| String::from_utf8(b).ok())
            .map(|t| {
                if content_type.contains("html") {
                    xhtml_to_text(&t)
                } else {
                    t
                }
            })
            .unwrap_or_default()
    } else {
        String::new()
    };
    DocumentAttachment {
        title: s(&a.title),
        content_type,
        url: s(&a.url),
        size: a.size.as_ref().and_then(|x| x.value).map(u64::from),
        text,
    }
}

pub fn reference(d: &DocumentReference, ctx: &Ctx) -> Mapped {
    let (patient, problems) = ctx.patient(d.subject.as_deref(), &d.contained);
    let mut text = s(&d.description);
    if text.is_empty()
        && let Some(n) = d.text.as_deref()
    {
        text = xhtml_to_text(&n.div.value);
    }
    let doc_type = d.r#type.as_deref().map(concept).unwrap_or_default();
    let date = ts(&d.date).or_else(|| {
        d.context
            .as_ref()
            .and_then(|c| c.period.as_deref())
            .and_then(|p| ts(&p.start))
    });
    let doc = Document {
        title: d
            .content
            .first()
            .map(|c| s(&c.attachment.title))
            .unwrap_or_default(),
        doc_type,
        status: text_of(&d.status),
        date,
        authors: people(&d.author, ctx),
        text,
        sections: Vec::new(),
        attachments: d.content.iter().map(|c| attachment(&c.attachment)).collect(),
    };
    let status = status_of(&doc.status);
    let rec = ctx.record(
        patient,
        "DocumentReference",
        id_of(&d.id).as_deref(),
        d.meta.as_deref(),
        status,
        Clinical::Document(doc),
    );
    Mapped::one(rec, problems)
}
