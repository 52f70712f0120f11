//! Per-patient generation context and the shared segment helpers.

use super::beds::{Bed, Stay};
use super::dept::{CLERKS, Dept, Doctor, HOSPITAL, HOSPITAL_ADDR, HOSPITAL_TEL, dept};
use super::hl7::{Charset, Seg, Style, encode, msh};
use super::lab::LabState;
use super::profile::Profile;
use super::record::DxRec;
use super::rng::{Rng, Stream};
use super::ts::{Dt, d8, millis_delta, t14};
use super::writer::{Key, PatientFiles};
use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};
use std::collections::HashSet;

/// Where and by whom a message was produced.
#[derive(Clone, Copy)]
pub struct Visit {
    pub inpatient: bool,
    pub dept: &'static Dept,
    pub doctor: &'static Doctor,
    pub bed: Option<Bed>,
}

impl Visit {
    pub fn outpatient(dept: &'static Dept, doctor: &'static Doctor) -> Visit {
        Visit {
            inpatient: false,
            dept,
            doctor,
            bed: None,
        }
    }
}

/// Version life cycle of one order/record key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Life {
    Plain,
    Updated,
    Deleted,
}

pub struct Gen<'a> {
    pub p: &'a Profile,
    pub stays: &'a [Stay],
    pub rng: Rng,
    pub out: PatientFiles,
    pub start: Dt,
    pub export: Dt,
    pub end: NaiveDate,
    pub labs: LabState,
    pub dxs: Vec<DxRec>,
    /// Dates that already have an ADT-12 (one visit per day per patient).
    pub visit_days: HashSet<NaiveDate>,
    /// Inpatient periods (admit-1 .. discharge+1), no outpatient visits then.
    pub busy: Vec<(NaiveDate, NaiveDate)>,
    /// ADT-42 dates already used (one transfer file key per day).
    pub transfer_days: HashSet<NaiveDate>,
    /// Registration time (ADT-00 first version).
    pub registered: Dt,
    /// Visits where allergy/ADT-00 updates can be attached.
    pub touchpoints: Vec<(Dt, Visit)>,
    order_seq: u32,
    msg_seq: u32,
    pid: String,
}

pub fn xcn(d: &Doctor) -> String {
    format!("{}^{}^{}^^^^^^^L^^^^^I", d.code, d.family, d.given)
}

impl<'a> Gen<'a> {
    pub fn new(
        p: &'a Profile,
        stays: &'a [Stay],
        seed: u64,
        start: Dt,
        export: Dt,
        end: NaiveDate,
    ) -> Gen<'a> {
        let mut rng = Rng::stream(seed, p.idx as u64, Stream::Story);
        let mut out = PatientFiles::new(&p.id);
        if p.quirks.ts15_exam {
            out.ts15_types = &["OMG-11", "OMG-12", "OMG-13"];
        }
        let labs = LabState::new(p, &mut rng, end);
        let reg_days = rng.int(30, 3650);
        let registered =
            (start - TimeDelta::days(reg_days)).max(super::ts::at(p.birth, 10, 0) + TimeDelta::days(2));
        // Registered at the reception desk during office hours.
        let registered = super::ts::at(registered.date(), rng.int(8, 16) as u32, rng.int(0, 59) as u32)
            + millis_delta(rng.int(0, 59_999));
        let registered = registered.min(export - TimeDelta::hours(2));
        Gen {
            p,
            stays,
            rng,
            out,
            start,
            export,
            end,
            labs,
            dxs: Vec::new(),
            visit_days: HashSet::new(),
            busy: Vec::new(),
            transfer_days: HashSet::new(),
            registered,
            touchpoints: Vec::new(),
            order_seq: 0,
            msg_seq: 0,
            pid: String::new(),
        }
    }

    /// Unique 15-digit order number: patient index + per-patient sequence.
    pub fn order_no(&mut self) -> String {
        self.order_seq += 1;
        format!("{:08}{:07}", self.p.idx % 100_000_000, self.order_seq)
    }

    pub fn msh(&mut self, sent: Dt, typ: &str) -> String {
        self.msg_seq += 1;
        let id = format!("{}{:06}", self.p.id, self.msg_seq);
        // Departmental systems (diet, imaging) spell the charset without a space.
        let cs = if typ.starts_with("OMD")
            || typ.starts_with("OMG")
            || typ.starts_with("OMI")
            || typ.starts_with("ORU")
        {
            Charset::NoSpace
        } else {
            Charset::Standard
        };
        msh(sent, typ, &id, cs)
    }

    /// Sending time: shortly after the event, with seconds and milliseconds.
    pub fn sent(&mut self, t: Dt) -> Dt {
        t + TimeDelta::seconds(self.rng.int(5, 170)) + millis_delta(self.rng.int(0, 999))
    }

    /// Sending time `lo..=hi` minutes after `t`.
    pub fn sent_after(&mut self, t: Dt, lo: i64, hi: i64) -> Dt {
        let m = self.rng.int(lo, hi);
        self.sent(t + TimeDelta::minutes(m))
    }

    pub fn name_field(&self) -> String {
        let p = self.p;
        format!(
            "{}^{}^^^^^L^I~{}^{}^^^^^L^P",
            p.family, p.given, p.family_kana, p.given_kana
        )
    }

    /// PID-1..8 (most messages).
    pub fn pid(&mut self) -> String {
        if self.pid.is_empty() {
            let p = self.p;
            self.pid = Seg::new("PID")
                .f(1, "0001")
                .f(3, &format!("{}^^^^PI", p.id))
                .f(5, &self.name_field())
                .f(7, &d8(p.birth))
                .f(8, p.sex.code())
                .end();
        }
        self.pid.clone()
    }

    /// PID with a bare PID-3 (vendor quirk for some ADT feeds).
    pub fn pid_adt(&mut self) -> String {
        if self.p.quirks.bare_pid {
            self.pid().replacen("^^^^PI", "", 1)
        } else {
            self.pid()
        }
    }

    pub fn clerk(&mut self) -> String {
        let c = self.rng.pick(CLERKS);
        format!("{}^{}^{}^^^^^^^L^^^^^I", c.0, c.1, c.2)
    }

    pub fn loc(v: &Visit) -> String {
        match v.bed {
            Some(b) => format!("{}^{}^{}^^^N^^^{}", b.ward_code(), b.room, b.bed, b.ward_name()),
            None => format!("{}^^^^^C", v.dept.code),
        }
    }

    pub fn short_loc(v: &Visit) -> String {
        match v.bed {
            Some(b) => format!("{}^{}^{}^^^N", b.ward_code(), b.room, b.bed),
            None => format!("{}^^^^^C", v.dept.code),
        }
    }

    pub fn pv1(v: &Visit) -> String {
        Seg::new("PV1")
            .f(1, "0001")
            .f(2, if v.inpatient { "I" } else { "O" })
            .f(3, &Gen::loc(v))
            .f(7, &xcn(v.doctor))
            .f(10, v.dept.code)
            .end()
    }

    /// Common ORC layout of the NHO samples.
    pub fn orc(&mut self, ctrl: &str, order: &str, group: &str, when: Dt, v: &Visit) -> String {
        let clerk = self.clerk();
        Seg::new("ORC")
            .f(1, ctrl)
            .f(2, order)
            .f(4, group)
            .f(9, &t14(when))
            .f(10, &clerk)
            .f(12, &xcn(v.doctor))
            .f(13, &Gen::short_loc(v))
            .f(17, &format!("{}^{}^99XY1", v.dept.code, v.dept.name))
            .f(21, HOSPITAL)
            .f(22, HOSPITAL_ADDR)
            .f(23, HOSPITAL_TEL)
            .f(
                29,
                if v.inpatient {
                    "I^入院患者オーダ^HL70482"
                } else {
                    "O^外来患者オーダ^HL70482"
                },
            )
            .end()
    }

    fn style(&self, dtype: &str) -> Style {
        let q = self.p.quirks;
        Style {
            lf: q.lf_lab && dtype == "OML-11",
            final_terminator: !(q.no_final_cr && dtype == "ADT-12"),
        }
    }

    /// Encode and store all versions of one key.
    pub fn emit(
        &mut self,
        date: Option<NaiveDate>,
        dtype: &'static str,
        order: &str,
        dept: &str,
        versions: Vec<(Dt, Vec<String>)>,
        life: Life,
    ) {
        let style = self.style(dtype);
        let encoded: Vec<(Dt, Vec<u8>)> = versions
            .into_iter()
            .map(|(t, segs)| (t, encode(&segs, style)))
            .collect();
        let key = Key { date, dtype, order };
        self.out.add_versions(&key, dept, encoded, life == Life::Deleted);
    }

    /// Store versions with explicit condition flags (cancel sequences).
    pub fn emit_flags(
        &mut self,
        date: Option<NaiveDate>,
        dtype: &'static str,
        order: &str,
        dept: &str,
        versions: Vec<(Dt, Vec<String>, u8)>,
    ) {
        let style = self.style(dtype);
        let key = Key { date, dtype, order };
        for (t, segs, flag) in versions {
            let bytes = encode(&segs, style);
            self.out.add(&key, t, dept, flag, bytes);
        }
    }

    pub fn pick_life(&mut self, p_update: f64, p_delete: f64) -> Life {
        let x = self.rng.f64();
        if x < p_delete {
            Life::Deleted
        } else if x < p_delete + p_update {
            Life::Updated
        } else {
            Life::Plain
        }
    }

    pub fn doctor_of(&mut self, code: &str) -> (&'static Dept, &'static Doctor) {
        let d = dept(code);
        // Patients keep their doctor: derive the choice from the patient index.
        let i = (self.p.idx as usize + code.len() * 7 + code.as_bytes()[0] as usize) % d.doctors.len();
        (d, &d.doctors[i])
    }

    pub fn is_busy(&self, d: NaiveDate) -> bool {
        self.busy.iter().any(|(a, b)| d >= *a && d <= *b)
    }

    /// First weekday on or after `d` that is free for an outpatient visit.
    pub fn free_weekday(&self, mut d: NaiveDate) -> Option<NaiveDate> {
        for _ in 0..120 {
            let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
            if !weekend && !self.is_busy(d) && !self.visit_days.contains(&d) && d >= self.p.birth {
                return Some(d);
            }
            if let Some((_, b)) = self.busy.iter().find(|(a, b)| d >= *a && d <= *b) {
                d = *b + TimeDelta::days(1);
            } else {
                d = d.succ_opt()?;
            }
        }
        None
    }
}
