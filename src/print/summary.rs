//! The patient summary: one to two A4 pages a nurse or doctor can work from at the bedside.
//! Everything comes from the chart view models; this file only decides what goes where.

use super::flow::{BODY, Flow};
use super::format::{date, or_dash, short, time};
use super::key_tests::KEY_TESTS;
use super::page::{CONTENT_LEFT, CONTENT_RIGHT, CONTENT_WIDTH, Rgb, Style};
use super::sparkline::Sparkline;
use super::table::{Cell, Column, Table};
use crate::chart::{ActiveMed, AllergyStatus, Banner, LabCell, LabRow, PatientChart};
use crate::model::{AbnormalFlag, AllergyCategory, OrderKind, RecordStatus};
use crate::search::era;
use std::collections::HashSet;

/// Table text: a little smaller than body text, so that typical drug names fit on one line.
const CELL: Style = Style::regular(8.5);
const CELL_BOLD: Style = Style::bold(8.5);
const NOTE: Style = Style::regular(9.0);
/// How many of the most recently measured tests the latest-results table lists.
const LATEST_LABS: usize = 20;
/// Values per key test in the trend block.
const TREND_VALUES: usize = 5;
/// Values in the sparkline beside them: a little more history than the numbers.
const SPARK_VALUES: usize = 10;
/// Ended orders listed for reference.
const RECENT_ENDED_ORDERS: usize = 8;
const STAYS: usize = 4;
const ENCOUNTERS: usize = 6;

/// Lays out one patient's summary from the top of a fresh flow.
pub fn layout(flow: &mut Flow, chart: &PatientChart) {
    let banner = chart.banner();
    flow.set_running_title(display_name(banner), format!("ID {}", banner.patient_id));
    header(flow, chart);
    allergies(flow, chart);
    problems(flow, chart);
    medications(flow, chart);
    labs(flow, chart);
    encounters(flow, chart);
}

/// `患者 太郎（カンジャ タロウ）`: names the patient at the top of every page.
pub fn display_name(b: &Banner) -> String {
    let mut s = or_dash(&b.name_kanji);
    if !b.name_kana.is_empty() {
        s.push_str(&format!("（{}）", b.name_kana));
    }
    s
}

fn header(flow: &mut Flow, chart: &PatientChart) {
    let b = chart.banner();
    let top = flow.y;
    let pad = 6.0;
    flow.gap(pad);
    let left = CONTENT_LEFT + pad;
    let width = CONTENT_WIDTH - 2.0 * pad;

    let title = Style::regular(8.5).with_color(Rgb::GREY);
    flow.text_at(left, width, title, "患者サマリー");
    let id = format!("ID {}", b.patient_id);
    let id_style = Style::bold(15.0);
    let id_w = flow.width(&id, id_style);
    flow.page()
        .text(CONTENT_RIGHT - pad - id_w, top + pad, id_style, id);

    let name_style = Style::bold(18.0);
    flow.text_at(left, width - id_w, name_style, &or_dash(&b.name_kanji));
    if !b.name_kana.is_empty() {
        flow.text_at(left, width, Style::regular(11.0), &b.name_kana);
    }
    flow.gap(2.0);

    let line = Style::regular(10.0);
    let mut who = vec![format!("性別 {}", b.sex.label_ja())];
    who.push(if b.age_label.is_empty() {
        "年齢 —".to_string()
    } else {
        format!(
            "年齢 {}（{}）",
            b.age_label,
            crate::chart::age_basis_ja(b.deceased.is_some())
        )
    });
    who.push(format!("生年月日 {}", birth(b.birth_date)));
    who.push(format!(
        "血液型 {}",
        b.blood_type
            .as_ref()
            .map(|t| t.display())
            .unwrap_or_else(|| "—".into())
    ));
    if let Some(h) = &b.height {
        who.push(format!("身長 {}", h.display()));
    }
    if let Some(w) = &b.weight {
        who.push(format!("体重 {}", w.display()));
    }
    flow.items_at(left, width, line, &who);

    let mut place = Vec::new();
    match &b.admission {
        Some(a) => {
            let loc = a
                .location
                .as_ref()
                .map(|l| l.display())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "病棟不明".into());
            place.push(format!("入院中 {loc}"));
            // Admitted before the snapshot's window (or the message is lost): say since when
            // the stay is known rather than leave a blank.
            let since = chart.current_stay().and_then(|s| s.since);
            let mut adm = match (a.admitted, since) {
                (None, Some(s)) => format!("入院日 不明（{}以前）", date(Some(s))),
                _ => format!("入院日 {}", date(a.admitted)),
            };
            if let Some(d) = a.day {
                adm.push_str(&format!("（{d}日目）"));
            }
            place.push(adm);
            if a.on_leave {
                place.push("外出・外泊中".into());
            }
            if a.planned_discharge.is_some() {
                place.push(format!("退院予定 {}", date(a.planned_discharge)));
            }
        }
        None if chart.unclear_stay().is_some() => {
            place.push("入院状況不明（退院後に入院を示さない移動の記録あり。元データで確認）".into())
        }
        None => place.push("入院中ではない（外来）".into()),
    }
    if let Some(d) = &b.department {
        place.push(format!("診療科 {}", d.display()));
    }
    if let Some(a) = &b.attending {
        place.push(format!("主治医 {}", a.display()));
    }
    flow.items_at(left, width, Style::bold(10.0), &place);
    // The ward's line: infection marks, the diet in force, the newest vitals.
    let marks: Vec<String> = chart.infection().iter().map(|m| m.label_ja()).collect();
    let any_positive = chart
        .infection()
        .iter()
        .any(|m| m.finding == crate::chart::Finding::Positive);
    flow.text_at(
        left,
        width,
        if any_positive {
            Style::bold(9.5).with_color(Rgb::RED)
        } else {
            Style::regular(9.5)
        },
        &format!("感染症 {}", marks.join("　")),
    );
    let diet = chart
        .diet()
        .map(|d| format!("{}（{}〜）", d.line_ja(), date(d.start)));
    flow.text_at(
        left,
        width,
        Style::regular(9.5),
        &format!("食事 {}", diet.unwrap_or_else(|| "指示なし".into())),
    );
    if let Some(t) = chart.vitals().newest() {
        flow.text_at(
            left,
            width,
            Style::regular(9.5),
            &format!(
                "最新バイタル {}（{}）",
                chart.vitals().latest_line(),
                super::format::time(Some(t))
            ),
        );
    }
    // Who the patient is must be checked at the bedside when the records disagree.
    let red = Style::bold(10.0).with_color(Rgb::RED);
    if !b.identity.conflicts.is_empty() {
        flow.text_at(
            left,
            width,
            red,
            "患者情報の不一致（記録によって異なります。本人確認をしてください）",
        );
        for c in &b.identity.conflicts {
            flow.text_at(
                left + 8.0,
                width - 8.0,
                Style::regular(9.0).with_color(Rgb::RED),
                &c.line(),
            );
        }
    }
    if !b.identity.same_name.is_empty() {
        flow.text_at(
            left,
            width,
            red,
            &format!("同姓同名あり（ID {}）", b.identity.same_name.join("、")),
        );
    }
    if b.deceased.is_some() {
        flow.text_at(
            left,
            width,
            Style::bold(10.0).with_color(Rgb::RED),
            &format!("死亡 {}", date(b.deceased)),
        );
    }
    flow.gap(pad - 2.0);
    let bottom = flow.y;
    flow.page()
        .frame(CONTENT_LEFT, top, CONTENT_WIDTH, bottom - top, 1.2, Rgb::BLACK);
    flow.gap(8.0);
}

/// `1948-04-05（昭和23年4月5日）`: staff and patients often give birth dates in the era.
fn birth(t: Option<crate::model::Timestamp>) -> String {
    match t {
        Some(t) if t.precision() >= crate::model::Precision::Day => match era::format(t.date()) {
            Some(e) => format!("{}（{e}）", date(Some(t))),
            None => date(Some(t)),
        },
        _ => date(t),
    }
}

fn note(flow: &mut Flow, text: &str) {
    flow.text_at(CONTENT_LEFT + 6.0, CONTENT_WIDTH - 6.0, NOTE, text);
    flow.gap(4.0);
}

fn allergies(flow: &mut Flow, chart: &PatientChart) {
    let view = chart.allergies();
    if view.status != AllergyStatus::Known {
        flow.heading("アレルギー", BODY.line_height() * 2.0);
        // Said in bold: "none recorded" and "no data" must not be read past.
        flow.text_at(
            CONTENT_LEFT + 6.0,
            CONTENT_WIDTH - 6.0,
            Style::bold(10.0),
            &view.status.line_ja(),
        );
        flow.gap(6.0);
        return;
    }
    let mut table = Table::new(
        vec![
            Column::left("分類", 1.0),
            Column::left("アレルゲン", 3.2),
            Column::left("症状", 3.0),
            Column::left("重症度", 1.2),
            Column::left("発症", 1.6),
        ],
        CELL,
    );
    for a in &view.items {
        let drug = a.category == AllergyCategory::Drug;
        let strong = if drug {
            CELL_BOLD.with_color(Rgb::RED)
        } else {
            CELL_BOLD
        };
        table.row(vec![
            Cell::styled(a.category.label_ja(), strong),
            Cell::styled(a.allergen.clone(), strong),
            or_dash(&a.reaction).into(),
            or_dash(&a.severity).into(),
            or_dash(&a.onset).into(),
        ]);
    }
    let drugs = view.drugs().count();
    let heading = format!("アレルギー（全 {}件・うち薬剤 {drugs}件）", view.items.len());
    flow.heading(&heading, table.lead_height(flow));
    table.draw(flow);
}

fn problems(flow: &mut Flow, chart: &PatientChart) {
    let list = chart.problems();
    if list.active.is_empty() {
        flow.heading("病名（継続中）", BODY.line_height());
        note(flow, "継続中の病名の記録なし");
    } else {
        let mut table = Table::new(
            vec![
                Column::left("病名", 5.0),
                Column::left("開始日", 1.5),
                Column::left("診療科", 1.6),
                Column::left("ICD-10", 1.0),
            ],
            CELL,
        );
        for p in &list.active {
            let name = if p.main {
                Cell::styled(format!("{}［主病名］", p.name), CELL_BOLD)
            } else {
                p.name.clone().into()
            };
            table.row(vec![
                name,
                date(p.since).into(),
                or_dash(&p.department).into(),
                or_dash(&p.icd10).into(),
            ]);
        }
        flow.heading(
            &format!("病名（継続中 {}件）", list.active.len()),
            table.lead_height(flow),
        );
        table.draw(flow);
    }
    if !list.resolved.is_empty() {
        note(
            flow,
            &format!(
                "終了した病名 {}件は省略（画面の「病名」で確認）",
                list.resolved.len()
            ),
        );
    }
}

fn until(m: &ActiveMed) -> String {
    match m.until {
        Some(d) => d.to_string(),
        None => "—".into(),
    }
}

/// Red lines first: allergens matching an order, the same drug running twice.
fn medication_alerts(flow: &mut Flow, chart: &PatientChart) {
    let alerts = chart.medication_alerts();
    let limits = &chart.allergy_check().limits;
    if alerts.is_empty() && limits.is_empty() {
        return;
    }
    flow.heading("処方・注射の注意", BODY.line_height() * 2.0);
    for a in &alerts {
        flow.text_at(
            CONTENT_LEFT + 6.0,
            CONTENT_WIDTH - 6.0,
            Style::bold(10.0).with_color(Rgb::RED),
            &format!("！ {}", a.text),
        );
    }
    for l in limits {
        note(flow, l);
    }
    flow.gap(4.0);
}

/// A table of order lines with their state and setting.
fn order_table(flow: &mut Flow, title: &str, meds: &[&ActiveMed]) {
    if meds.is_empty() {
        return;
    }
    let mut table = Table::new(
        vec![
            Column::left("区分・状態", 1.7),
            Column::left("薬剤", 3.3),
            Column::left("用量", 1.1),
            Column::left("用法・経路・速度", 3.0),
            Column::right("日数", 0.6),
            Column::left("開始", 1.3),
            Column::left("終了", 1.1),
        ],
        CELL,
    );
    for m in meds {
        table.row(vec![
            format!("{}\n{}", m.kind.label_ja(), m.state_ja()).into(),
            Cell::styled(m.drug.clone(), CELL_BOLD),
            or_dash(&m.dose).into(),
            or_dash(&m.how_ja()).into(),
            m.days
                .map(|d| format!("{d}日"))
                .unwrap_or_else(|| "—".into())
                .into(),
            time(m.start).into(),
            until(m).into(),
        ]);
    }
    flow.heading(&format!("{title}（{}件）", meds.len()), table.lead_height(flow));
    table.draw(flow);
}

fn medications(flow: &mut Flow, chart: &PatientChart) {
    let view = chart.medications();
    medication_alerts(flow, chart);
    let injections: Vec<&ActiveMed> = view
        .active
        .iter()
        .filter(|m| m.kind == OrderKind::Injection)
        .collect();
    let oral: Vec<&ActiveMed> = view
        .active
        .iter()
        .filter(|m| m.kind == OrderKind::Prescription)
        .collect();
    order_table(flow, "注射（実施中）", &injections);
    order_table(flow, "処方（服用中）", &oral);
    let unknown: Vec<&ActiveMed> = view.unknown.iter().collect();
    order_table(
        flow,
        "継続状況不明（終了日・日数の記録なし。元データで確認）",
        &unknown,
    );
    let planned: Vec<&ActiveMed> = view.planned.iter().collect();
    order_table(flow, "予定（データ基準日時より後に開始）", &planned);
    if injections.is_empty() && oral.is_empty() {
        flow.heading("処方・注射（現在有効）", BODY.line_height());
        note(flow, "データ基準日時の時点で有効な処方・注射はありません");
    }

    // The last orders that have ended: during an outage the ward still asks "what was he on".
    // One line per drug (the newest), leaving out drugs still given under another order.
    let mut ended = Table::new(
        vec![
            Column::left("開始", 1.6),
            Column::left("区分", 0.6),
            Column::left("薬剤", 3.4),
            Column::left("用量", 1.1),
            Column::left("用法", 2.6),
            Column::right("日数", 0.6),
        ],
        CELL,
    );
    let mut seen: HashSet<(OrderKind, &str)> =
        view.active.iter().map(|m| (m.kind, m.drug.as_str())).collect();
    let lines = view
        .groups
        .iter()
        .filter(|g| !g.lines.iter().any(|l| l.active))
        .flat_map(|g| g.lines.iter().map(move |l| (g, l)))
        .filter(|(_, l)| l.status == RecordStatus::Current);
    for (g, l) in lines {
        if ended.rows.len() == RECENT_ENDED_ORDERS {
            break;
        }
        if !seen.insert((g.kind, l.drug.as_str())) {
            continue;
        }
        let mut drug = l.drug.clone();
        if l.discontinued {
            drug.push_str("（中止）");
        }
        ended.row(vec![
            time(l.start.or(g.date)).into(),
            g.kind.label_ja().into(),
            drug.into(),
            or_dash(&l.dose).into(),
            or_dash(&l.dosage).into(),
            l.days
                .map(|d| format!("{d}日"))
                .unwrap_or_else(|| "—".into())
                .into(),
        ]);
    }
    if !ended.rows.is_empty() {
        flow.heading("直近の処方・注射（終了分・参考）", ended.lead_height(flow));
        ended.draw(flow);
    }
}

fn flag_style(flag: Option<AbnormalFlag>, base: Style) -> Style {
    let bold = Style {
        weight: super::font::Weight::Bold,
        ..base
    };
    match flag {
        Some(AbnormalFlag::High | AbnormalFlag::CriticalHigh) => bold.with_color(Rgb::RED),
        Some(AbnormalFlag::Low | AbnormalFlag::CriticalLow) => bold.with_color(Rgb::BLUE),
        Some(AbnormalFlag::Abnormal) => bold,
        _ => base,
    }
}

fn value_with_mark(value: &str, flag: Option<AbnormalFlag>) -> String {
    let mark = flag.map(AbnormalFlag::mark).unwrap_or("");
    if mark.is_empty() {
        value.to_string()
    } else {
        format!("{value} {mark}")
    }
}

fn labs(flow: &mut Flow, chart: &PatientChart) {
    let table = chart.labs();
    if table.rows.is_empty() {
        flow.heading("検査結果", BODY.line_height());
        note(flow, "検体検査結果の記録なし");
        return;
    }
    trends(flow, chart);

    let mut latest = Table::new(
        vec![
            Column::left("検査", 2.6),
            Column::right("結果", 1.3),
            Column::left("単位", 1.2),
            Column::left("基準値", 1.5),
            Column::left("採取日時", 1.7),
        ],
        CELL,
    );
    let items = table.latest(LATEST_LABS);
    for l in &items {
        let range = table.row(&l.key).map(|r| r.range.clone()).unwrap_or_default();
        latest.row(vec![
            l.name.clone().into(),
            Cell::styled(value_with_mark(&l.value, l.flag), flag_style(l.flag, CELL)),
            or_dash(&l.unit).into(),
            or_dash(&range).into(),
            time(l.time).into(),
        ]);
    }
    let more = table.rows.len().saturating_sub(items.len());
    let heading = if more > 0 {
        format!(
            "最新の検査結果（直近 {}項目・他 {more}項目は画面で確認）",
            items.len()
        )
    } else {
        format!("最新の検査結果（{}項目）", items.len())
    };
    flow.heading(&heading, latest.lead_height(flow));
    latest.draw(flow);
}

/// Key tests: name, unit and range, the last values (oldest to newest, with their dates), and a
/// sparkline of the same values.
fn trends(flow: &mut Flow, chart: &PatientChart) {
    let labs = chart.labs();
    let rows: Vec<(&str, &LabRow, Vec<f64>)> = KEY_TESTS
        .iter()
        .filter_map(|k| {
            let row = k.find(labs)?;
            let values = labs
                .series(&row.key)
                .map(|s| s.points.iter().map(|p| p.value).collect())
                .unwrap_or_default();
            (!row.cells.is_empty()).then_some((k.label, row, values))
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    let name_w = 112.0;
    let spark_w = 84.0;
    let cell_w = (CONTENT_WIDTH - name_w - spark_w - 8.0) / TREND_VALUES as f32;
    let small = Style::regular(7.5).with_color(Rgb::GREY);
    let value = Style::regular(9.5);
    let row_h = small.line_height() + value.line_height() + 4.0;
    flow.heading("主要検査の推移（左が古く右が新しい）", row_h * 2.0);
    for (i, (label, row, values)) in rows.iter().enumerate() {
        flow.ensure(row_h);
        let top = flow.y;
        let fonts = flow.fonts;
        let page = flow.page();
        if i % 2 == 1 {
            page.fill(CONTENT_LEFT, top, CONTENT_WIDTH, row_h, Rgb::LIGHT);
        }
        page.text(
            CONTENT_LEFT + 3.0,
            top + 2.0,
            Style::bold(9.5),
            format!("{label}　{}", row.name),
        );
        let mut range = row.unit.clone();
        if !row.range.is_empty() {
            range.push_str(&format!("　基準 {}", row.range));
        }
        page.text(CONTENT_LEFT + 3.0, top + 2.0 + value.line_height(), small, range);

        // The last values as sent, oldest on the left, each with its date under it.
        let last: Vec<&LabCell> = row.cells.iter().take(TREND_VALUES).rev().collect();
        let first_x = CONTENT_LEFT + name_w + (TREND_VALUES - last.len()) as f32 * cell_w;
        for (j, c) in last.iter().enumerate() {
            let x = first_x + j as f32 * cell_w;
            let v = value_with_mark(&c.value, c.flag);
            let st = flag_style(c.flag, value);
            let vw = fonts.face(st.weight).width(&v, st.size);
            page.text(x + cell_w - 4.0 - vw, top + 2.0, st, v);
            let d = labs
                .columns
                .get(c.column)
                .and_then(|col| col.time)
                .map(|t| short(t, chart.reference_time()))
                .unwrap_or_else(|| "—".into());
            let dw = fonts.regular.width(&d, small.size);
            page.text(x + cell_w - 4.0 - dw, top + 2.0 + value.line_height(), small, d);
        }
        let recent = &values[values.len().saturating_sub(SPARK_VALUES)..];
        Sparkline {
            values: recent,
            low: row.range_low,
            high: row.range_high,
        }
        .draw(
            page,
            CONTENT_RIGHT - spark_w,
            top + 2.0,
            spark_w - 2.0,
            row_h - 4.0,
        );
        page.hline(CONTENT_LEFT, CONTENT_RIGHT, top + row_h, 0.3, Rgb::RULE);
        flow.y += row_h;
    }
    flow.gap(6.0);
}

fn encounters(flow: &mut Flow, chart: &PatientChart) {
    let stays = chart.stays();
    if !stays.is_empty() {
        let mut table = Table::new(
            vec![
                Column::left("入院日", 1.6),
                Column::left("退院日", 1.6),
                Column::left("病棟・病室", 2.6),
                Column::left("診療科", 1.5),
                Column::left("主治医", 1.5),
            ],
            CELL,
        );
        for s in stays.iter().rev().take(STAYS) {
            let end = match s.end {
                Some(_) => date(s.end),
                None => "入院中".into(),
            };
            table.row(vec![
                match (s.start, s.since) {
                    (None, Some(since)) => format!("不明（{}以前）", date(Some(since))),
                    (start, _) => date(start),
                }
                .into(),
                end.into(),
                s.location_at(s.end)
                    .map(|l| l.display())
                    .unwrap_or_default()
                    .into(),
                s.department_at(s.end)
                    .map(|d| d.display().to_string())
                    .unwrap_or_default()
                    .into(),
                s.attending_at(s.end)
                    .map(|a| a.display().to_string())
                    .unwrap_or_default()
                    .into(),
            ]);
        }
        flow.heading(
            &format!("入院歴（直近 {}件）", table.rows.len()),
            table.lead_height(flow),
        );
        table.draw(flow);
    }

    let mut table = Table::new(
        vec![
            Column::left("日時", 1.6),
            Column::left("種別", 1.6),
            Column::left("診療科", 1.5),
            Column::left("場所", 2.4),
            Column::left("担当医", 1.5),
        ],
        CELL,
    );
    for e in chart
        .encounters()
        .iter()
        .filter(|e| e.status == RecordStatus::Current && !e.cancellation)
        .take(ENCOUNTERS)
    {
        table.row(vec![
            time(e.time).into(),
            e.label.clone().into(),
            e.department
                .as_ref()
                .map(|d| d.display().to_string())
                .unwrap_or_default()
                .into(),
            e.location
                .as_ref()
                .map(|l| l.display())
                .unwrap_or_default()
                .into(),
            e.attending
                .as_ref()
                .map(|a| a.display().to_string())
                .unwrap_or_default()
                .into(),
        ]);
    }
    if table.rows.is_empty() {
        flow.heading("受診・入退院", BODY.line_height());
        note(flow, "受診・入退院の記録なし");
    } else {
        flow.heading(
            &format!("最近の受診・入退院（直近 {}件）", table.rows.len()),
            table.lead_height(flow),
        );
        table.draw(flow);
    }
}
