//! JAMI 処方・注射オーダ標準用法規格: the 16-character 用法 code, decoded into Japanese text for
//! the codes that arrive without text.
//!
//! What is decoded is only what published code/text pairs confirm (the NHO SS-MIX2 sample, the
//! JP Core and JP-CLINS examples, the MHLW 電子処方箋 用法マスタ displays):
//!
//! | position | meaning | values decoded |
//! |---|---|---|
//! | 1 | 基本用法区分 | `1` 内服, `2` 外用 |
//! | 2 | 用法詳細区分 | 内服 `0` 経口 `1` 舌下 `2` バッカル `3` 口腔内塗布; 外用 `A`–`U` (貼付, 塗布, 点眼 ...) |
//! | 3 | 用法の型 | `1` 定時 (回数と服用時点), `5` 頓用 (イベント), `7` 外用の回数 |
//! | 4 | 1日回数 (型 1, 7) | `1`–`9`, `N` 数回 |
//! | 4–6 | イベント (型 5) | `012` 頭痛時, `041` 便秘時, `061` 不眠時, `071` 発熱時 |
//! | 5–8 | 服用時点 (型 1): 就寝前, 夕, 昼, 朝 | `0` なし; 食事の時点 `1` 食前 `4` 食後; 就寝前 `1` |
//! | rest | | all `0` |
//!
//! Anything else (注射 codes, other events, other meal timings, 外用部位 digits, 時刻指定) is
//! not guessed: [`describe`] returns `None` and the code is shown as sent.

/// Japanese text for a JAMI 16-character usage code, e.g. `1013044400000000` →
/// `内服・経口・１日３回朝昼夕食後`. `None` when any part of the code is outside what is
/// decoded (never a partial or guessed text). Never panics.
pub fn describe(code: &str) -> Option<String> {
    let c: Vec<char> = code.trim().chars().collect();
    if c.len() != 16 || !c.iter().all(|x| x.is_ascii_alphanumeric()) {
        return None;
    }
    let basic = match c[0] {
        '1' => "内服",
        '2' => "外用",
        _ => return None,
    };
    let detail = detail(c[0], c[1])?;
    let when = match c[2] {
        '1' if c[0] == '1' => {
            zeros(&c[8..])?;
            scheduled(c[3], [c[7], c[6], c[5]], c[4])?
        }
        '5' => {
            zeros(&c[6..])?;
            event(&c[3..6])?.to_string()
        }
        '7' if c[0] == '2' => {
            zeros(&c[4..])?;
            times(c[3])?
        }
        _ => return None,
    };
    Some(format!("{basic}・{detail}・{when}"))
}

fn zeros(rest: &[char]) -> Option<()> {
    rest.iter().all(|x| *x == '0').then_some(())
}

fn detail(basic: char, d: char) -> Option<&'static str> {
    Some(match (basic, d) {
        ('1', '0') => "経口",
        ('1', '1') => "舌下",
        ('1', '2') => "バッカル",
        ('1', '3') => "口腔内塗布",
        ('2', 'A') => "貼付",
        ('2', 'B') => "塗布",
        ('2', 'C') => "湿布",
        ('2', 'D') => "撒布",
        ('2', 'E') => "噴霧",
        ('2', 'F') => "消毒",
        ('2', 'G') => "点耳",
        ('2', 'H') => "点眼",
        ('2', 'J') => "点鼻",
        ('2', 'K') => "うがい",
        ('2', 'L') => "吸入",
        ('2', 'M') => "トローチ",
        ('2', 'N') => "膀胱洗浄",
        ('2', 'P') => "鼻腔内洗浄",
        ('2', 'Q') => "浣腸",
        ('2', 'R') => "肛門挿入",
        ('2', 'S') => "肛門注入",
        ('2', 'T') => "膣内挿入",
        ('2', 'U') => "膀胱注入",
        _ => return None,
    })
}

/// `１日３回`, `１日数回`.
fn times(n: char) -> Option<String> {
    let n = match n {
        '1'..='9' => char::from_u32(n as u32 - '0' as u32 + '０' as u32)?.to_string(),
        'N' => "数".to_string(),
        _ => return None,
    };
    Some(format!("１日{n}回"))
}

/// `１日３回朝昼夕食後`, `１日２回朝夕食前`, `１日４回朝昼夕食後と就寝前`. `meals` is
/// 朝, 昼, 夕 (positions 8, 7, 6).
fn scheduled(n: char, meals: [char; 3], bedtime: char) -> Option<String> {
    let mut out = times(n)?;
    let mut groups: Vec<(char, String)> = Vec::new();
    for (slot, v) in ["朝", "昼", "夕"].iter().zip(meals) {
        match v {
            '0' => {}
            '1' | '4' => match groups.iter_mut().find(|(g, _)| *g == v) {
                Some((_, names)) => names.push_str(slot),
                None => groups.push((v, slot.to_string())),
            },
            _ => return None,
        }
    }
    let mut parts: Vec<String> = groups
        .into_iter()
        .map(|(v, names)| format!("{names}{}", if v == '1' { "食前" } else { "食後" }))
        .collect();
    match bedtime {
        '0' => {}
        '1' => parts.push("就寝前".into()),
        _ => return None,
    }
    if parts.is_empty() {
        return None;
    }
    out.push_str(&parts.join("と"));
    Some(out)
}

fn event(e: &[char]) -> Option<&'static str> {
    let e: String = e.iter().collect();
    Some(match e.as_str() {
        "012" => "頭痛時",
        "041" => "便秘時",
        "061" => "不眠時",
        "071" => "発熱時",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::describe;

    /// Code/text pairs as published (NHO SS-MIX2 sample TQ1-3; JP Core and JP-CLINS
    /// examples; MHLW 電子処方箋 用法マスタ displays, here in the JAMI 内服・経口・ form).
    #[test]
    fn published_codes() {
        for (code, text) in [
            ("1013044400000000", "内服・経口・１日３回朝昼夕食後"),
            ("1012040400000000", "内服・経口・１日２回朝夕食後"),
            ("1011000400000000", "内服・経口・１日１回朝食後"),
            ("1011040000000000", "内服・経口・１日１回夕食後"),
            ("1011100000000000", "内服・経口・１日１回就寝前"),
            ("1012010100000000", "内服・経口・１日２回朝夕食前"),
            ("1014144400000000", "内服・経口・１日４回朝昼夕食後と就寝前"),
            ("1050610000000000", "内服・経口・不眠時"),
            ("1050710000000000", "内服・経口・発熱時"),
            ("1050120000000000", "内服・経口・頭痛時"),
            ("2H71000000000000", "外用・点眼・１日１回"),
            ("2B7N000000000000", "外用・塗布・１日数回"),
            ("2R50410000000000", "外用・肛門挿入・便秘時"),
        ] {
            assert_eq!(describe(code).as_deref(), Some(text), "{code}");
        }
    }

    #[test]
    fn mixed_meal_timings_are_grouped() {
        assert_eq!(
            describe("1013041400000000").as_deref(),
            Some("内服・経口・１日３回朝夕食後と昼食前")
        );
    }

    /// Not guessed: unknown parts give no text at all.
    #[test]
    fn what_is_not_decoded() {
        for code in [
            "0X0XXXXXXXXX0000", // JP-CLINS dummy
            "3000000000000000", // injection: not decoded
            "1013044400000001", // a digit past the decoded positions
            "1013064400000000", // a meal timing other than 食前/食後
            "1050990000000000", // unknown event
            "2H71001000000000", // 外用 with site digits
            "10130444",         // 8 characters
            "１０１３０４４４００００００００",
            "",
        ] {
            assert_eq!(describe(code), None, "{code}");
        }
    }

    #[test]
    fn never_panics_on_any_input() {
        let alphabet: Vec<char> = "0123456789ANXZ\u{3000}ａ".chars().collect();
        let mut seed = 7u64;
        for _ in 0..20_000 {
            let len = (seed % 20) as usize;
            let s: String = (0..len)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    alphabet[(seed >> 33) as usize % alphabet.len()]
                })
                .collect();
            let _ = describe(&s);
        }
    }
}
