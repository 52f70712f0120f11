//! Prescriptions (OMP-01 RDE^O11, OMP-11 RAS^O17) and injections
//! (OMP-02 RDE^O11, OMP-12 RAS^O17).

use super::drugs::{Drug, Injection, drug, injection, num};
use super::hl7::Seg;
use super::patient::{Gen, Life, Visit};
use super::scenario::Bottle;
use super::ts::{Dt, at, d8, minutes, t12, t14};
use chrono::{Datelike, NaiveDate, TimeDelta};

/// How the prescription is dispensed (RXE-21).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Dispense {
    /// Outpatient, dispensed by the hospital pharmacy.
    InHouse,
    /// Outpatient, dispensed by an outside pharmacy.
    Outside,
    Inpatient,
}

impl Dispense {
    fn code(self) -> &'static str {
        match self {
            Dispense::InHouse => "OHP^外来処方^MR9P~OHI^院内処方^MR9P",
            Dispense::Outside => "OHP^外来処方^MR9P~OHO^院外処方^MR9P",
            Dispense::Inpatient => "IHP^入院処方^MR9P",
        }
    }
}

/// What one OMP-01 message prescribes.
#[derive(Clone, Copy)]
struct RxSpec<'s> {
    order: &'s str,
    t: Dt,
    v: &'s Visit,
    drugs: &'s [&'static Drug],
    days: i64,
    disp: Dispense,
}

/// A prescription as stored: order number and what was prescribed.
pub struct Rx {
    pub order: String,
    pub drugs: Vec<&'static Drug>,
    pub start: Dt,
    pub days: i64,
}

fn unit(u: super::drugs::Unit) -> String {
    format!("{}^{}^MR9P", u.code, u.name)
}

/// Total amount dispensed for `days`.
fn total(d: &Drug, days: i64) -> f64 {
    if d.fixed_total > 0.0 {
        return d.fixed_total * ((days + 27) / 28).max(1) as f64;
    }
    if d.usage.prn {
        return d.dose * 10.0;
    }
    if d.usage.weekly {
        return d.dose * ((days + 6) / 7) as f64;
    }
    d.dose * d.usage.per_day as f64 * days as f64
}

/// Administration times of a drug on a day (inpatient OMP-11).
fn dose_times(d: &Drug, day: NaiveDate, start: Dt) -> Vec<(u32, u32)> {
    if d.route.code != "PO" || d.usage.prn {
        return Vec::new();
    }
    if d.usage.weekly {
        return if day.weekday() == start.date().weekday() {
            vec![(6, 30)]
        } else {
            Vec::new()
        };
    }
    match d.usage.code {
        "1013044400000000" | "1013033300000000" => vec![(8, 0), (12, 30), (18, 0)],
        "1013022200000000" => vec![(7, 30), (11, 50), (17, 30)],
        "1012040400000000" => vec![(8, 0), (18, 0)],
        "1011000400000000" => vec![(18, 0)],
        "1011000010000000" => vec![(21, 0)],
        _ => vec![(8, 0)],
    }
}

impl Gen<'_> {
    fn rx_group(&mut self, ctrl: &str, spec: &RxSpec, d: &Drug, rp: usize, rx_no: &str) -> Vec<String> {
        let (t, days, disp) = (spec.t, spec.days, spec.disp);
        let orc = self.orc(ctrl, spec.order, &rp.to_string(), t, spec.v);
        let tot = total(d, days);
        let mut rxe = Seg::new("RXE")
            .f(2, &format!("{}^{}^HOT9", d.hot9, d.name))
            .f(
                3,
                &if d.fixed_total > 0.0 {
                    "\"\"".to_string()
                } else {
                    num(d.dose)
                },
            )
            .f(5, &unit(d.unit))
            .f(6, &unit(d.form))
            .f(10, &num(tot))
            .f(11, &unit(d.unit))
            .f(15, rx_no);
        if !d.usage.prn && d.fixed_total == 0.0 && !d.usage.weekly {
            let daily = d.dose * d.usage.per_day as f64;
            rxe = rxe.f(
                19,
                &format!("{}^{}&{}&MR9P", num(daily), d.unit.code, d.unit.name),
            );
        }
        rxe = rxe.f(21, disp.code());
        let indication = if d.usage.prn {
            "22^頓用^JHSP0003"
        } else if d.route.code == "PO" {
            "21^内服^JHSP0003"
        } else {
            "23^外用^JHSP0003"
        };
        rxe = rxe.f(27, indication);
        if !d.yj.is_empty() {
            rxe = rxe.f(31, &format!("{}^{}^YJ", d.yj, d.name));
        }
        let tq1 = Seg::new("TQ1")
            .f(1, "1")
            .f(3, &format!("{}&{}&JAMISDP01", d.usage.code, d.usage.text));
        let tq1 = if d.usage.prn {
            tq1.f(7, &t12(t)).f(14, "10").end()
        } else {
            tq1.f(6, &format!("{days}^d")).f(7, &t12(t)).end()
        };
        vec![
            orc,
            rxe.end(),
            tq1,
            format!("RXR|{}^{}^HL70162", d.route.code, d.route.name),
        ]
    }

    fn rx_message(&mut self, ctrl: &str, sent: Dt, spec: &RxSpec) -> Vec<String> {
        let mut segs = vec![self.msh(sent, "RDE^O11^RDE_O11"), self.pid(), Gen::pv1(spec.v)];
        let rx_no = format!("{}{}", d8(spec.t.date()), &spec.order[10..]);
        let drugs = spec.drugs;
        // One Rp per dosage (drugs taken at the same time share an Rp number).
        let mut usages: Vec<&str> = Vec::new();
        for d in drugs {
            if !usages.contains(&d.usage.code) {
                usages.push(d.usage.code);
            }
        }
        for d in drugs {
            let rp = usages.iter().position(|u| *u == d.usage.code).unwrap_or(0) + 1;
            segs.extend(self.rx_group(ctrl, spec, d, rp, &rx_no));
        }
        segs
    }

    /// Write an OMP-01 prescription; returns the stored order (None if after export or deleted).
    pub fn prescribe(
        &mut self,
        t: Dt,
        v: &Visit,
        drugs: &[&'static Drug],
        days: i64,
        disp: Dispense,
    ) -> Option<Rx> {
        if t > self.export || drugs.is_empty() {
            return None;
        }
        let order = self.order_no();
        let life = self.pick_life(0.05, 0.015);
        let date = Some(t.date());
        let sent = self.sent(t);
        let spec = RxSpec {
            order: &order,
            t,
            v,
            drugs,
            days,
            disp,
        };
        match life {
            Life::Deleted => {
                let first = self.rx_message("NW", sent, &spec);
                let ct = self.sent_after(t, 8, 40);
                let cancel = self.rx_message("CA", ct, &spec);
                self.emit(
                    date,
                    "OMP-01",
                    &order,
                    v.dept.code,
                    vec![(sent, first), (ct, cancel)],
                    Life::Deleted,
                );
                // Re-issued as a new order a little later.
                let t2 = t + minutes(self.rng.int(45, 70));
                if t2 > self.export {
                    return None;
                }
                let order2 = self.order_no();
                let s2 = self.sent(t2);
                let segs = self.rx_message(
                    "NW",
                    s2,
                    &RxSpec {
                        order: &order2,
                        t: t2,
                        ..spec
                    },
                );
                self.emit(
                    Some(t2.date()),
                    "OMP-01",
                    &order2,
                    v.dept.code,
                    vec![(s2, segs)],
                    Life::Plain,
                );
                Some(Rx {
                    order: order2,
                    drugs: drugs.to_vec(),
                    start: t2,
                    days,
                })
            }
            Life::Updated => {
                // First version had a shorter duration, corrected minutes later.
                let old_days = (days - 7).max(3);
                let first = self.rx_message(
                    "NW",
                    sent,
                    &RxSpec {
                        days: old_days,
                        ..spec
                    },
                );
                let t2 = self.sent_after(t, 5, 30);
                let second = self.rx_message("NW", t2, &spec);
                self.emit(
                    date,
                    "OMP-01",
                    &order,
                    v.dept.code,
                    vec![(sent, first), (t2, second)],
                    Life::Updated,
                );
                Some(Rx {
                    order,
                    drugs: drugs.to_vec(),
                    start: t,
                    days,
                })
            }
            Life::Plain => {
                let segs = self.rx_message("NW", sent, &spec);
                self.emit(
                    date,
                    "OMP-01",
                    &order,
                    v.dept.code,
                    vec![(sent, segs)],
                    Life::Plain,
                );
                Some(Rx {
                    order,
                    drugs: drugs.to_vec(),
                    start: t,
                    days,
                })
            }
        }
    }

    /// OMP-11: one file per order and day with every oral dose given that day.
    pub fn administer_oral(&mut self, rx: &Rx, day: NaiveDate, v: &Visit, until: Dt) {
        let mut rxa = Vec::new();
        let nurse = self.clerk();
        let loc = Gen::short_loc(v);
        let mut last = None;
        for d in &rx.drugs {
            for (h, m) in dose_times(d, day, rx.start) {
                let t = at(day, h, m) + minutes(self.rng.int(-10, 20));
                if t < rx.start || t > until || t > self.export {
                    continue;
                }
                let rec = t + minutes(self.rng.int(2, 90));
                last = Some(last.map_or(rec, |l: Dt| l.max(rec)));
                rxa.push(
                    Seg::new("RXA")
                        .f(1, "0")
                        .f(2, "1")
                        .f(3, &t12(t))
                        .f(4, &t12(t))
                        .f(5, &format!("{}^{}^HOT9", d.hot9, d.name))
                        .f(6, &num(d.dose))
                        .f(7, &unit(d.unit))
                        .f(10, &nurse)
                        .f(11, &loc)
                        .f(20, "CP")
                        .f(22, &t14(rec))
                        .end(),
                );
            }
        }
        let Some(last) = last else { return };
        if last > self.export {
            return;
        }
        let sent = self.sent(last);
        let mut segs = vec![self.msh(sent, "RAS^O17^RAS_O17"), self.pid(), Gen::pv1(v)];
        segs.push(self.orc("NW", &rx.order, "1", rx.start, v));
        segs.extend(rxa);
        segs.push("RXR|PO^口^HL70162".to_string());
        self.emit(
            Some(day),
            "OMP-11",
            &rx.order,
            v.dept.code,
            vec![(sent, segs)],
            Life::Plain,
        );
    }

    /// One day of infusions: OMP-02 order plus OMP-12 administration record.
    pub fn inject_day(
        &mut self,
        day: NaiveDate,
        ordered: Dt,
        v: &Visit,
        bottles: &[Bottle],
        not_before: Dt,
        until: Dt,
    ) {
        if ordered > self.export || bottles.is_empty() {
            return;
        }
        let order = self.order_no();
        let ward = v.bed.map(|b| b.ward_code()).unwrap_or("");
        // Schedule: each bottle kind spread over the day, shifted by kind.
        let mut runs: Vec<(usize, Dt, Dt)> = Vec::new();
        for (k, b) in bottles.iter().enumerate() {
            let step = 24 / b.per_day.max(1);
            for i in 0..b.per_day {
                let h = (8 + k as u32 * 2 + i * step) % 24;
                let day_off = if 8 + k as u32 * 2 + i * step >= 24 { 1 } else { 0 };
                let s = at(day + TimeDelta::days(day_off), h, 0);
                let e = s + TimeDelta::hours(b.hours.max(1) as i64);
                if s < not_before || s >= until {
                    continue;
                }
                runs.push((k, s, e));
            }
        }
        if runs.is_empty() {
            return;
        }
        runs.sort_by_key(|r| r.1);
        let sent = self.sent(ordered);
        let mut segs = vec![self.msh(sent, "RDE^O11^RDE_O11"), self.pid(), Gen::pv1(v)];
        let rx_no = format!("{}-{}", d8(day), &order[12..]);
        for (g, (k, s, e)) in runs.iter().enumerate() {
            let b = &bottles[*k];
            let group = format!("{}_01_{:03}", order, g + 1);
            segs.push(self.orc("NW", &order, &group, ordered, v));
            let parts = bottle_parts(b);
            let ml: u32 = parts.iter().map(|i| i.ml).sum::<u32>().max(50);
            let rate = (ml as f64 / b.hours.max(1) as f64).round() as u32;
            let how = if b.hours <= 1 {
                "^１時間で点滴^99IC6".to_string()
            } else {
                format!("^{}時間一定速度で^99IC6", super::names::zen(b.hours))
            };
            segs.push(
                Seg::new("RXE")
                    .f(2, "00^一般^99I02")
                    .f(3, &ml.to_string())
                    .f(5, "ML^ミリリットル^MR9P")
                    .f(6, "INJ^注射剤^MR9P")
                    .f(7, &how)
                    .f(15, &rx_no)
                    .f(21, "IHP^入院処方^MR9P~FTP^定時処方^99I01")
                    .f(22, "H1")
                    .f(23, &rate.to_string())
                    .f(24, "ml/hr^ミリリッター／時間^ISO+")
                    .f(42, &format!("{ward}^^^^^N"))
                    .end(),
            );
            segs.push(Seg::new("TQ1").f(1, "1").f(7, &t12(*s)).f(8, &t12(*e)).end());
            segs.push(rxr(b));
            for (i, inj) in parts.iter().enumerate() {
                segs.push(format!(
                    "RXC|{}|{}^{}^HOT9|1|{}^{}^MR9P",
                    if i == 0 { "B" } else { "A" },
                    inj.hot9,
                    inj.name,
                    inj.unit.code,
                    inj.unit.name
                ));
            }
        }
        self.emit(
            Some(ordered.date()),
            "OMP-02",
            &order,
            v.dept.code,
            vec![(sent, segs)],
            Life::Plain,
        );

        // Administration record for the bottles finished before the export.
        let nurse = self.clerk();
        let site = *self.rng.pick(&["左手", "右手", "左前腕", "右前腕"]);
        let loc = Gen::short_loc(v);
        let mut segs = Vec::new();
        let mut last = None;
        for (g, (k, s, e)) in runs.iter().enumerate() {
            let s = *s + TimeDelta::seconds(self.rng.int(0, 900));
            let e = *e + TimeDelta::seconds(self.rng.int(0, 1800));
            if e > self.export {
                continue;
            }
            let b = &bottles[*k];
            let parts = bottle_parts(b);
            let ml: u32 = parts.iter().map(|i| i.ml).sum::<u32>().max(50);
            let rate = (ml as f64 / b.hours.max(1) as f64).round() as u32;
            let rec = e + TimeDelta::seconds(self.rng.int(30, 600));
            last = Some(last.map_or(rec, |l: Dt| l.max(rec)));
            segs.push(self.orc("NW", &order, &format!("{}_01_{:03}", order, g + 1), ordered, v));
            for inj in &parts {
                segs.push(
                    Seg::new("RXA")
                        .f(1, "0")
                        .f(2, "1")
                        .f(3, &t14(s))
                        .f(4, &t14(e))
                        .f(5, &format!("{}^{}^HOT9", inj.hot9, inj.name))
                        .f(6, "1")
                        .f(7, &format!("{}^{}^MR9P", inj.unit.code, inj.unit.name))
                        .f(9, &format!("^{site}に実施^99IC2"))
                        .f(10, &nurse)
                        .f(11, &loc)
                        .f(12, &format!("{rate}ml/hr"))
                        .f(20, "CP")
                        .f(22, &t14(rec))
                        .end(),
                );
            }
            segs.push(rxr(b));
        }
        let Some(last) = last else { return };
        if last > self.export {
            return;
        }
        let sent = self.sent(last);
        let mut msg = vec![self.msh(sent, "RAS^O17^RAS_O17"), self.pid(), Gen::pv1(v)];
        msg.extend(segs);
        let first_day = runs[0].1.date();
        self.emit(
            Some(first_day),
            "OMP-12",
            &order,
            v.dept.code,
            vec![(sent, msg)],
            Life::Plain,
        );
    }
}

/// How a syringe-pump infusion is given (JAHIS 注射データ交換規約 RXR: route, site, device,
/// method, routing instruction); local tables `99IR*`.
const SYRINGE_RXR: &str =
    "RXR|IV^静脈内^HL70162|LA^左腕^HL70163|SYP^シリンジポンプ^99IRD|IVD^点滴静注^99IRM|SIDE^側管^99IRL";

impl Gen<'_> {
    /// A continuous heparin infusion by syringe pump (持続点滴): one OMP-02 order with a start
    /// and a rate but no end while the patient is in (TQ1-8 is the discharge once there is one),
    /// and an OMP-12 record per syringe, every 24 hours; the syringe hanging at the export has
    /// no end yet. Time points are fixed offsets (no draws) so that the rest of the story keeps
    /// its random sequence.
    pub fn continuous_infusion(&mut self, start: Dt, v: &Visit, discharge: Dt) {
        if start >= self.export || start >= discharge {
            return;
        }
        let order = self.order_no();
        let ward = v.bed.map(|b| b.ward_code()).unwrap_or("");
        let parts = [injection("saline50_syringe"), injection("heparin")];
        let ml: u32 = parts.iter().map(|i| i.ml).sum();
        let rate = "2";
        let group = format!("{order}_01_001");
        let sent = self.sent(start);
        let mut segs = vec![self.msh(sent, "RDE^O11^RDE_O11"), self.pid(), Gen::pv1(v)];
        segs.push(self.orc("NW", &order, &group, start, v));
        segs.push(
            Seg::new("RXE")
                .f(2, "00^一般^99I02")
                .f(3, &ml.to_string())
                .f(5, "ML^ミリリットル^MR9P")
                .f(6, "INJ^注射剤^MR9P")
                .f(7, "^持続点滴^99IC6")
                .f(21, "IHP^入院処方^MR9P~RTP^臨時処方^99I01")
                .f(22, "H1")
                .f(23, rate)
                .f(24, "ml/hr^ミリリッター／時間^ISO+")
                .f(42, &format!("{ward}^^^^^N"))
                .end(),
        );
        let ends = discharge <= self.export;
        let mut tq1 = Seg::new("TQ1").f(1, "1").f(7, &t12(start));
        if ends {
            tq1 = tq1.f(8, &t12(discharge));
        }
        segs.push(tq1.end());
        segs.push(SYRINGE_RXR.to_string());
        for (i, inj) in parts.iter().enumerate() {
            segs.push(format!(
                "RXC|{}|{}^{}^HOT9|{}|{}^{}^MR9P",
                if i == 0 { "B" } else { "A" },
                inj.hot9,
                inj.name,
                if i == 0 { "1" } else { "2" },
                inj.unit.code,
                inj.unit.name
            ));
        }
        self.emit(
            Some(start.date()),
            "OMP-02",
            &order,
            v.dept.code,
            vec![(sent, segs)],
            Life::Plain,
        );

        // One administration record per syringe; the last one runs on past the export.
        let loc = Gen::short_loc(v);
        let until = discharge.min(self.export);
        let mut s = start + TimeDelta::minutes(10);
        while s < until {
            let e = (s + TimeDelta::hours(24)).min(discharge);
            let open = e > self.export;
            let mut segs = vec![];
            let written = if open {
                s + TimeDelta::minutes(5)
            } else {
                e + TimeDelta::minutes(5)
            };
            if written > self.export {
                break;
            }
            let msh_sent = self.sent(written);
            segs.push(self.msh(msh_sent, "RAS^O17^RAS_O17"));
            segs.push(self.pid());
            segs.push(Gen::pv1(v));
            segs.push(self.orc("NW", &order, &group, start, v));
            for inj in &parts {
                // Fields are set in order: RXA-4 (end) only once the syringe is down.
                let end = if open { String::new() } else { t14(e) };
                let rxa = Seg::new("RXA")
                    .f(1, "0")
                    .f(2, "1")
                    .f(3, &t14(s))
                    .f(4, &end)
                    .f(5, &format!("{}^{}^HOT9", inj.hot9, inj.name))
                    .f(6, "1")
                    .f(7, &format!("{}^{}^MR9P", inj.unit.code, inj.unit.name))
                    .f(11, &loc)
                    .f(12, &format!("{rate}ml/hr"))
                    .f(20, if open { "IP" } else { "CP" });
                segs.push(rxa.end());
            }
            segs.push(SYRINGE_RXR.to_string());
            self.emit(
                Some(s.date()),
                "OMP-12",
                &order,
                v.dept.code,
                vec![(msh_sent, segs)],
                Life::Plain,
            );
            s = e;
        }
    }
}

fn bottle_parts(b: &Bottle) -> Vec<&'static Injection> {
    let mut v = vec![injection(b.base)];
    v.extend(b.additives.iter().map(|k| injection(k)));
    v
}

fn rxr(b: &Bottle) -> String {
    if b.pump {
        "RXR|IV^静脈内^HL70162||IVP^点滴ポンプ^HL70164".to_string()
    } else {
        "RXR|IV^静脈内^HL70162".to_string()
    }
}

/// Drugs by key, skipping unknown keys.
pub fn drugs_of(keys: &[&str]) -> Vec<&'static Drug> {
    let mut v: Vec<&'static Drug> = Vec::new();
    for k in keys {
        let d = drug(k);
        if d.key == *k && !v.iter().any(|x| x.hot9 == d.hot9) {
            v.push(d);
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals() {
        assert_eq!(total(drug("amlodipine"), 28), 28.0);
        assert_eq!(total(drug("metformin"), 14), 56.0);
        assert_eq!(total(drug("alendronate"), 28), 4.0);
        assert_eq!(total(drug("heparinoid"), 28), 50.0);
        assert!(!super::super::drugs::INJECTIONS.is_empty());
    }
}
