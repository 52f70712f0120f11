//! `lifeboat show`: one patient's whole chart as text.

use crate::chart::PatientDump;
use crate::model::{Clinical, RecordStatus, Sex};
use std::fmt::Write;

pub fn render(d: &PatientDump) -> String {
    let mut s = String::new();
    match &d.patient {
        Some(p) => {
            let kanji = p.name_kanji.as_ref().map(|n| n.full()).unwrap_or_default();
            let kana = p.name_kana.as_ref().map(|n| n.full()).unwrap_or_default();
            let _ = writeln!(s, "患者ID {}  {kanji}（{kana}）", p.id);
            let sex = if p.sex == Sex::Unknown {
                "性別不明"
            } else {
                p.sex.label_ja()
            };
            let birth = p.birth_date.map(|b| b.to_iso()).unwrap_or_else(|| "不明".into());
            let _ = writeln!(s, "  性別 {sex}  生年月日 {birth}");
            if let Some(bt) = p
                .blood_type
                .as_ref()
                .map(|b| b.display())
                .filter(|b| !b.is_empty())
            {
                let _ = writeln!(s, "  血液型 {bt}");
            }
            if let Some(h) = &p.height {
                let _ = writeln!(s, "  身長 {}", h.display());
            }
            if let Some(w) = &p.weight {
                let _ = writeln!(s, "  体重 {}", w.display());
            }
            for a in &p.addresses {
                let _ = writeln!(s, "  住所 〒{} {}", a.postal_code, a.text);
            }
            for ph in &p.phones {
                let _ = writeln!(s, "  電話 ({}) {}", ph.kind, ph.number);
            }
            if !p.other_ids.is_empty() {
                let _ = writeln!(s, "  他のID {}", p.other_ids.join(", "));
            }
            let _ = writeln!(s, "  出典 {}", d.patient_source);
        }
        None => {
            let _ = writeln!(s, "患者基本情報なし (no demographics)");
        }
    }
    if let Some(summary) = &d.summary {
        s.push('\n');
        s.push_str(&summary.render());
    }
    for (title, records) in d.sections() {
        let _ = writeln!(s, "\n■ {title} ({})", records.len());
        if records.is_empty() {
            let _ = writeln!(s, "  記録なし");
        }
        for r in records {
            let mark = match r.status {
                RecordStatus::Current => "",
                RecordStatus::Superseded => "[旧版] ",
                RecordStatus::Cancelled => "[取消] ",
            };
            let date = r
                .date()
                .map(|t| t.to_iso().replace('T', " "))
                .unwrap_or_else(|| "日付なし".into());
            let _ = writeln!(s, "  {date}  {mark}{}", r.summary());
            // Documents are read as documents: every section title and its text.
            if let Clinical::Document(doc) = &r.data {
                for line in doc.as_text().lines() {
                    let _ = writeln!(s, "      {line}");
                }
            }
        }
    }
    if !d.problems.is_empty() {
        let _ = writeln!(s, "\n■ 読み込み時の問題 ({})", d.problems.len());
        for p in &d.problems {
            let _ = writeln!(s, "  {p}");
        }
    }
    s
}
