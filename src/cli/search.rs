//! Text output of `lifeboat search`.

use crate::index::PatientHit;

pub fn render(query: &str, hits: &[PatientHit]) -> String {
    let mut s = format!("「{query}」: {} 件\n", hits.len());
    for h in hits {
        let birth = h.birth_date.map(|b| b.to_iso()).unwrap_or_default();
        s.push_str(&format!(
            "{:<12} {}（{}） {} {}",
            h.id,
            h.name_kanji,
            h.name_kana,
            h.sex.label_ja(),
            birth
        ));
        if h.same_name {
            s.push_str(" 同姓同名あり");
        }
        if let Some(l) = &h.location {
            s.push_str(&format!(" 入院中: {}", l.display()));
        }
        if let Some(v) = h.last_visit {
            s.push_str(&format!(" 最終受診 {}", v.date()));
        }
        s.push('\n');
        for m in &h.matched {
            s.push_str(&format!("    {m}\n"));
        }
    }
    s
}
