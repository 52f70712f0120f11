//! Problem lines in Japanese for the viewer (問題一覧, header). The English message stays the
//! record (`--json`, logs); this only rewords the common kinds, by template, and leaves any other
//! message in English rather than guess.

use super::Problem;

/// (English template, Japanese template): `{}` in the English captures text up to the next
/// literal part; `{0}`, `{1}` ... in the Japanese put the captures back.
const TEMPLATES: &[(&str, &str)] = &[
    ("empty {} segment", "空の {0} セグメント"),
    (
        "PID-3 patient ID {} differs from the storage's {}; filed under {}",
        "PID-3 の患者ID {0} が保存場所の {1} と異なります。{2} として登録しました",
    ),
    (
        "{} row without a drug; kept in the source only",
        "{0} 行に薬剤がありません（元データにのみ保持）",
    ),
    (
        "{} row without an allergen; kept in the source only",
        "{0} 行にアレルゲンがありません（元データにのみ保持）",
    ),
    (
        "PRB row without a diagnosis name; kept in the source only",
        "PRB 行に病名がありません（元データにのみ保持）",
    ),
    (
        "result row without a test code or name; kept in the source only",
        "検査結果の行に項目コード・名称がありません（元データにのみ保持）",
    ),
    (
        "vital sign row without a code or name; kept in the source only",
        "バイタルの行に項目コード・名称がありません（元データにのみ保持）",
    ),
    (
        "vital sign {} without a value; kept in the source only",
        "バイタル {0} に値がありません（元データにのみ保持）",
    ),
    (
        "test row before any OBR; kept in the source only",
        "OBR より前の検査行です（元データにのみ保持）",
    ),
    ("empty file (0 bytes)", "空のファイル（0 バイト）"),
    (
        "elements FHIR R4 does not define here were not read: {}",
        "FHIR R4 にない要素を読み込みませんでした：{0}",
    ),
    (
        "empty file: no HL7 segments",
        "空のファイル：HL7 セグメントがありません",
    ),
    (
        "binary data (contains NUL bytes): not an HL7 message",
        "バイナリデータ（NUL バイトを含む）：HL7 メッセージではありません",
    ),
    (
        "bytes that do not decode (broken or truncated escape sequence); shown as \u{FFFD}",
        "解読できないバイトがあります（壊れた・途切れたエスケープシーケンス）。\u{FFFD} で表示",
    ),
    (
        "text is {}, not ISO-2022-JP as SS-MIX2 requires; decoded as {}",
        "文字コードが ISO-2022-JP（SS-MIX2 の規定）ではなく {0} です。{1} として読みました",
    ),
    (
        "bytes that are not ISO-2022-JP; those segments were decoded as CP932",
        "ISO-2022-JP でないバイトがあります。該当セグメントは CP932 として読みました",
    ),
    (
        "file name says data type {} but the file is in folder {}",
        "ファイル名のデータ種別 {0} が置かれたフォルダ {1} と一致しません",
    ),
    (
        "message type {} does not belong in data type {}; read as {}",
        "メッセージ型 {0} はデータ種別 {1} のものではありません。{2} として読みました",
    ),
    (
        "ADT message has no PV1 segment: no location, doctor or times",
        "ADT メッセージに PV1 セグメントがありません（病棟・医師・日時なし）",
    ),
    (
        "message has no PID segment; filed by its storage path only",
        "PID セグメントがありません。保存場所だけで患者を決めました",
    ),
    (
        "no records could be read from this message",
        "このメッセージから記録を読めませんでした",
    ),
    (
        "{} message gave no records; kept as source text",
        "{0} メッセージから記録が得られません（元テキストとして保持）",
    ),
    (
        "not an HL7 segment ({}); kept in the source only",
        "HL7 セグメントではありません（{0}）。元データにのみ保持",
    ),
    (
        "{} segment does not belong in this message; kept in the source only",
        "{0} セグメントはこのメッセージに属しません（元データにのみ保持）",
    ),
    (
        "version (condition flag) unknown, read as current",
        "版（状態フラグ）が不明のため、現行として読みました",
    ),
    (
        "condition flag lost with the name: status unknown (状態不明), not shown as current",
        "状態フラグが名前ごと失われています：状態不明（現行としては表示しません）",
    ),
    (
        "written time {} is in the future; not used for the data-as-of time",
        "記載日時 {0} は未来の日時です。データ基準日時には使いません",
    ),
    (
        "{} value {} is not a number; listed as sent, not plotted",
        "{0} の値 {1} は数値ではありません。送信どおり表示し、グラフには描きません",
    ),
    (
        "file too large ({} bytes; the limit is {} bytes)",
        "ファイルが大きすぎます（{0} バイト、上限 {1} バイト）",
    ),
    (
        "link to {}, outside the snapshot: not followed, nothing read there",
        "スナップショットの外へのリンク {0}：たどらず、何も読んでいません",
    ),
    (
        "{} more problems in this file are not listed one by one (only the first {})",
        "このファイルの問題はほかに {0} 件あります（最初の {1} 件のみ表示）",
    ),
    (
        "not an SS-MIX2 file, nor FHIR",
        "SS-MIX2 でも FHIR でもないファイルです",
    ),
    (
        "no mapping for this resource type; kept as source",
        "表示対象外のリソース型です（元データとして保持）",
    ),
    ("not valid JSON: {}", "JSON として読めません：{0}"),
    (
        "not a valid FHIR R4 {}: {}",
        "FHIR R4 の {0} として正しくありません：{1}",
    ),
    ("cannot read: {}", "読み込めません：{0}"),
];

impl Problem {
    /// The message in Japanese for the common kinds, else the English message as recorded.
    pub fn message_ja(&self) -> String {
        message_ja(&self.message)
    }
}

/// See `Problem::message_ja`.
pub fn message_ja(message: &str) -> String {
    TEMPLATES
        .iter()
        .find_map(|(en, ja)| captures(en, message).map(|caps| fill(ja, &caps)))
        .unwrap_or_else(|| message.to_string())
}

/// The texts `{}` stand for when `message` fits `template`; each capture runs to the first
/// occurrence of the literal after it (the last one to the end).
fn captures<'a>(template: &str, message: &'a str) -> Option<Vec<&'a str>> {
    let mut parts = template.split("{}");
    let first = parts.next().unwrap_or_default();
    let mut rest = message.strip_prefix(first)?;
    let mut caps = Vec::new();
    let literals: Vec<&str> = parts.collect();
    for (i, lit) in literals.iter().enumerate() {
        let last = i + 1 == literals.len();
        let at = if last {
            if lit.is_empty() {
                rest.len()
            } else {
                rest.strip_suffix(lit).map(str::len)?
            }
        } else {
            rest.find(lit)?
        };
        let cap = rest.get(..at)?;
        if cap.is_empty() {
            return None;
        }
        caps.push(cap);
        rest = rest.get(at + lit.len()..)?;
    }
    rest.is_empty().then_some(caps)
}

fn fill(template: &str, caps: &[&str]) -> String {
    let mut out = template.to_string();
    for (i, c) in caps.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_kinds_read_in_japanese() {
        assert_eq!(message_ja("empty PV1 segment"), "空の PV1 セグメント");
        assert_eq!(
            message_ja("PID-3 patient ID 9999014 differs from the storage's 9999013; filed under 9999013"),
            "PID-3 の患者ID 9999014 が保存場所の 9999013 と異なります。9999013 として登録しました"
        );
        assert_eq!(
            message_ja("RXA row without a drug; kept in the source only"),
            "RXA 行に薬剤がありません（元データにのみ保持）"
        );
        assert_eq!(
            message_ja(
                "text is CP932 (Shift_JIS), not ISO-2022-JP as SS-MIX2 requires; decoded as CP932 (Shift_JIS)"
            ),
            "文字コードが ISO-2022-JP（SS-MIX2 の規定）ではなく CP932 (Shift_JIS) です。CP932 (Shift_JIS) として読みました"
        );
        assert_eq!(message_ja("empty file (0 bytes)"), "空のファイル（0 バイト）");
        assert_eq!(
            message_ja("not a valid FHIR R4 Observation: missing field `status`"),
            "FHIR R4 の Observation として正しくありません：missing field `status`"
        );
    }

    #[test]
    fn other_messages_stay_english_and_templates_match_whole() {
        let odd = "something nobody wrote a template for";
        assert_eq!(message_ja(odd), odd);
        // A template's literal must end the message: no half-translated lines.
        assert_eq!(
            message_ja("empty PV1 segment and more"),
            "empty PV1 segment and more"
        );
        // An empty capture is no match either.
        assert_eq!(message_ja("empty  segment"), "empty  segment");
    }

    #[test]
    fn problem_keeps_english_for_json() {
        let p = Problem::new("a/b.hl7", super::super::Severity::Warning, "empty ORC segment");
        assert_eq!(p.message, "empty ORC segment");
        assert_eq!(p.message_ja(), "空の ORC セグメント");
    }
}
