//! Who is using the viewer (issue 16): the sign-in form before any patient data shows, and
//! the lock screen after the laptop is left idle. Keyboard first: the name field has the
//! focus, Tab moves on, 1–6 (or the arrows) pick the role, Enter signs in.

use super::{fonts, theme};
use crate::audit::{Operator, Role};
use egui::{Key, Modifiers, RichText};

/// The form's fields.
pub struct SignInState {
    pub name: String,
    pub staff_id: String,
    pub role: Role,
    pub error: Option<String>,
    focus_next_frame: bool,
    /// On the lock screen: the staff ID typed to go on as the same operator.
    pub unlock_id: String,
}

impl Default for SignInState {
    fn default() -> Self {
        SignInState {
            name: String::new(),
            staff_id: String::new(),
            role: Role::Nurse,
            error: None,
            focus_next_frame: true,
            unlock_id: String::new(),
        }
    }
}

impl SignInState {
    /// Clears the form for the next operator.
    pub fn reset(&mut self) {
        *self = SignInState::default();
    }

    /// The operator the form names, or why not.
    fn operator(&self) -> Result<Operator, String> {
        let name = self.name.trim();
        let staff_id = self.staff_id.trim();
        if name.is_empty() {
            return Err("氏名を入力してください".into());
        }
        if staff_id.is_empty() {
            return Err("職員番号を入力してください".into());
        }
        Ok(Operator {
            name: name.to_string(),
            staff_id: staff_id.to_string(),
            role: self.role,
        })
    }
}

/// The sign-in form; returns the operator when the form is sent.
pub fn sign_in(state: &mut SignInState, ui: &mut egui::Ui) -> Option<Operator> {
    let pal = theme::palette(ui);
    let big = egui::FontId::proportional(theme::BODY + 6.0);
    // Digits pick the role, except while a field is typed into (staff IDs have digits).
    if !ui.ctx().text_edit_focused() {
        for (i, role) in Role::ALL.iter().enumerate() {
            let key = Key::from_name(&(i + 1).to_string());
            if key.is_some_and(|k| ui.input_mut(|inp| inp.consume_key(Modifiers::NONE, k))) {
                state.role = *role;
            }
        }
    }
    let mut send = false;
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.add_space(24.0);
        ui.label(RichText::new("利用者の確認").font(fonts::bold(theme::BODY + 12.0)));
        ui.label(
            RichText::new(
                "患者情報を表示する前に、使う人を入力してください。閲覧・印刷・コピーはすべて、この端末の監査ログに記録されます。",
            )
            .font(egui::FontId::proportional(theme::BODY + 1.0)),
        );
        ui.add_space(16.0);
        let width = ui.available_width().min(520.0);
        egui::Grid::new("signin")
            .num_columns(2)
            .spacing([16.0, 14.0])
            .show(ui, |ui| {
                let l = ui.label(RichText::new("氏名").font(big.clone()));
                let name = ui
                    .add(
                        egui::TextEdit::singleline(&mut state.name)
                            .font(big.clone())
                            .hint_text("例: 山田 花子")
                            .desired_width(width),
                    )
                    .labelled_by(l.id);
                if state.focus_next_frame {
                    name.request_focus();
                    state.focus_next_frame = false;
                }
                ui.end_row();
                let l = ui.label(RichText::new("職員番号").font(big.clone()));
                let id = ui
                    .add(
                        egui::TextEdit::singleline(&mut state.staff_id)
                            .font(big.clone())
                            .hint_text("例: N1234")
                            .desired_width(width),
                    )
                    .labelled_by(l.id);
                send |= id.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                send |= name.lost_focus()
                    && ui.input(|i| i.key_pressed(Key::Enter))
                    && !state.staff_id.trim().is_empty();
                ui.end_row();
                ui.label(RichText::new("職種").font(big.clone()));
                ui.horizontal_wrapped(|ui| {
                    for (i, role) in Role::ALL.iter().enumerate() {
                        let text = RichText::new(format!("{} {}", i + 1, role.label_ja())).font(big.clone());
                        if ui.selectable_label(state.role == *role, text).clicked() {
                            state.role = *role;
                        }
                    }
                });
                ui.end_row();
            });
        ui.add_space(16.0);
        let button = egui::Button::new(RichText::new("サインイン (Enter)").font(fonts::bold(theme::BODY + 6.0)))
            .min_size(egui::vec2(240.0, 48.0));
        send |= ui.add(button).clicked();
        if let Some(e) = &state.error {
            ui.add_space(8.0);
            ui.colored_label(pal.danger, RichText::new(e).font(big.clone()));
        }
        ui.add_space(8.0);
        ui.colored_label(
            pal.muted,
            "Tab で次の欄へ、数字キー 1〜6 で職種を選び、Enter でサインイン。共用の名前は使わないでください。",
        );
    });
    if !send {
        return None;
    }
    match state.operator() {
        Ok(op) => {
            state.error = None;
            Some(op)
        }
        Err(e) => {
            state.error = Some(e);
            None
        }
    }
}

/// What the operator chose on the lock screen.
pub enum Unlock {
    SameOperator,
    SwitchOperator,
}

/// The lock screen: nothing of the data shows. Going on as the same operator asks for the
/// staff ID again (someone else passing by must not become them).
pub fn lock_screen(
    state: &mut SignInState,
    operator: &Operator,
    minutes: u32,
    ui: &mut egui::Ui,
) -> Option<Unlock> {
    let pal = theme::palette(ui);
    let big = egui::FontId::proportional(theme::BODY + 6.0);
    let mut chosen = None;
    ui.add_space(24.0);
    ui.label(RichText::new("画面をロックしました").font(fonts::bold(theme::BODY + 12.0)));
    ui.label(
        RichText::new(format!(
            "{minutes}分間操作がなかったため、患者情報を隠しています。"
        ))
        .font(egui::FontId::proportional(theme::BODY + 1.0)),
    );
    ui.add_space(16.0);
    ui.label(RichText::new(format!("使用中: {}", operator.label())).font(big.clone()));
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        let l = ui.label(RichText::new("職員番号を入力").font(big.clone()));
        let id = ui
            .add(
                egui::TextEdit::singleline(&mut state.unlock_id)
                    .font(big.clone())
                    .password(true)
                    .desired_width(220.0),
            )
            .labelled_by(l.id);
        if state.focus_next_frame {
            id.request_focus();
            state.focus_next_frame = false;
        }
        let go = ui
            .add(
                egui::Button::new(RichText::new("続けて使う (Enter)").font(big.clone()))
                    .min_size(egui::vec2(200.0, 44.0)),
            )
            .clicked()
            || (id.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)));
        if go {
            if state.unlock_id.trim() == operator.staff_id {
                state.unlock_id.clear();
                state.error = None;
                chosen = Some(Unlock::SameOperator);
            } else {
                state.error = Some("職員番号が違います".into());
                state.unlock_id.clear();
            }
        }
    });
    if let Some(e) = &state.error {
        ui.colored_label(pal.danger, RichText::new(e).font(big.clone()));
    }
    ui.add_space(16.0);
    if ui
        .add(
            egui::Button::new(RichText::new("別の利用者でサインイン").font(big))
                .min_size(egui::vec2(240.0, 44.0)),
        )
        .clicked()
    {
        chosen = Some(Unlock::SwitchOperator);
    }
    chosen
}

impl SignInState {
    /// The next frame puts the cursor in the first field.
    pub fn focus(&mut self) {
        self.focus_next_frame = true;
    }
}
