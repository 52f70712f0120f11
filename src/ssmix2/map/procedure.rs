//! OMG-01..03 orders (OMG^O19), OMG-11/12 performed (OMI^Z23), OMG-13 results (ORU^R01):
//! radiology, endoscopy and physiological examinations. One record per message.

use super::ctx::Ctx;
use super::fields::{clinician, code, join_name, opt_code, sub_unit};
use crate::hl7::{Message, Segment};
use crate::model::{
    Clinical, Code, Observation, ProcedureCategory, ProcedureItem, ProcedureReport, ProcedureStage,
};
use std::collections::HashMap;

pub fn category_for(data_type: &str) -> ProcedureCategory {
    match data_type {
        "OMG-01" | "OMG-11" => ProcedureCategory::Radiology,
        "OMG-02" | "OMG-12" => ProcedureCategory::Endoscopy,
        "OMG-03" | "OMG-13" => ProcedureCategory::Physiology,
        _ => ProcedureCategory::Other,
    }
}

pub fn map_omg(ctx: &mut Ctx<'_>, msg: &Message, category: ProcedureCategory, stage: ProcedureStage) {
    let mut r = ProcedureReport {
        category,
        stage,
        order_no: String::new(),
        items: Vec::new(),
        findings: String::new(),
        accession: String::new(),
        study_uid: String::new(),
        modality: String::new(),
        ordered_at: None,
        performed: None,
        orderer: None,
        department: None,
    };
    let mut segs = Vec::new();
    let mut cancelled = false;
    // Index into r.items of the item OBX rows attach to.
    let mut current: Option<usize> = None;
    // Items by (code, text): a map, not a scan of the items per OBR (quadratic on a message
    // of many OBR segments).
    let mut by_code: HashMap<(String, String), usize> = HashMap::new();
    for seg in &msg.segments {
        match seg.id() {
            "ORC" => {
                segs.push(seg.number);
                let control = seg.field(1).trimmed();
                if r.order_no.is_empty() {
                    r.order_no = seg.field(2).comp(1).trimmed();
                    cancelled = matches!(control.as_str(), "CA" | "DC");
                }
                r.ordered_at = r.ordered_at.or_else(|| ctx.time(seg, 9));
                r.orderer = r.orderer.take().or_else(|| clinician(seg.field(12)));
                r.department = r.department.take().or_else(|| opt_code(seg.field(17)));
            }
            "OBR" => {
                segs.push(seg.number);
                let procedure = code(seg.field(4));
                let order_no = seg.field(2).comp(1).trimmed();
                r.performed = r.performed.or_else(|| ctx.time(seg, 7));
                // Parent orders repeat under ORC NW and PA: merge items with the same code.
                let key = (procedure.code.clone(), procedure.text.clone());
                current = Some(match by_code.get(&key) {
                    Some(&i) => i,
                    None => {
                        r.items.push(ProcedureItem {
                            procedure,
                            order_no,
                            observations: Vec::new(),
                        });
                        by_code.insert(key, r.items.len() - 1);
                        r.items.len() - 1
                    }
                });
            }
            "OBX" => {
                segs.push(seg.number);
                let obs = observation(ctx, seg);
                match current.and_then(|i| r.items.get_mut(i)) {
                    Some(item) => item.observations.push(obs),
                    None => {
                        r.items.push(ProcedureItem {
                            procedure: Code::default(),
                            order_no: String::new(),
                            observations: vec![obs],
                        });
                        by_code.entry(Default::default()).or_insert(r.items.len() - 1);
                    }
                }
            }
            "ZE1" => {
                // JAHIS endoscopy: the part actually examined.
                segs.push(seg.number);
                let done = code(seg.field(3));
                if let (Some(item), false) = (current.and_then(|i| r.items.get_mut(i)), done.is_empty()) {
                    item.observations.push(Observation {
                        label: Code::new("", "実施項目", ""),
                        value: done.display().to_string(),
                        unit: String::new(),
                        value_type: "CWE".into(),
                    });
                }
            }
            "IPC" => {
                segs.push(seg.number);
                if r.accession.is_empty() {
                    r.accession = seg.field(1).trimmed();
                }
                if r.study_uid.is_empty() {
                    r.study_uid = seg.field(3).trimmed();
                }
                if r.modality.is_empty() {
                    r.modality = seg.field(5).comp(1).trimmed();
                }
            }
            _ => {}
        }
    }
    if r.items.is_empty() {
        ctx.problem(
            msg.msh(),
            None,
            crate::report::Severity::Warning,
            "examination message without OBR or OBX; nothing to show",
        );
        return;
    }
    r.findings = findings_text(&r.items);
    ctx.push(segs, cancelled, Clinical::Procedure(r));
}

fn observation(ctx: &mut Ctx<'_>, obx: &Segment) -> Observation {
    let value_type = obx.field(2).trimmed();
    let label = {
        let c = code(obx.field(3));
        // Labels like `QTc 時間&Bazzet` carry a qualifier in a subcomponent.
        Code::new(c.code.replace('&', " "), c.text.replace('&', " "), c.system)
    };
    let parts: Vec<String> = obx
        .field(5)
        .reps()
        .map(|v| match value_type.as_str() {
            "XCN" => join_name(&v.comp(2).trimmed(), &v.comp(3).trimmed()),
            "CWE" | "CE" => {
                let t = v.comp(2).trimmed();
                if t.is_empty() { v.comp(1).trimmed() } else { t }
            }
            // JAHIS drug used: code^name^system^amount^unit(subcomponents).
            "ZRD" => {
                let amount = v.comp(4).trimmed();
                let u = sub_unit(v.comp(5));
                format!("{} {amount}{u}", v.comp(2).trimmed()).trim().to_string()
            }
            "TS" | "DTM" => match ctx.time_of(obx, 5, v.raw()) {
                Some(t) => t.to_iso().replace('T', " "),
                None => v.text(),
            },
            _ => v.text(),
        })
        .filter(|s| !s.trim().is_empty())
        .collect();
    Observation {
        label,
        value: parts.join("、"),
        unit: super::coded::unit(ctx, obx, 6, obx.field(6)),
        value_type,
    }
}

/// A report a person reads: each procedure, then its observations as `label: value unit`.
fn findings_text(items: &[ProcedureItem]) -> String {
    let mut lines = Vec::new();
    for item in items {
        if !item.procedure.is_empty() && items.len() > 1 {
            lines.push(format!("■ {}", item.procedure.display()));
        }
        for o in &item.observations {
            let value = if o.unit.is_empty() {
                o.value.clone()
            } else {
                format!("{} {}", o.value, o.unit)
            };
            lines.push(format!("{}: {value}", o.label.display()));
        }
    }
    lines.join("\n")
}
