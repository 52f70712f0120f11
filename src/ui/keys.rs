//! Keyboard rules shared by the screens. Esc closes the innermost thing first: an open popup
//! (egui closes it), then a filter's text, then the problems window, and only then the chart.
//! Whoever acts on Esc consumes it, so the outer levels never see the same key press.

use egui::{Context, Event, Id, Key, Modifiers};

fn popup_flag() -> Id {
    Id::unique("lifeboat-esc-closes-popup")
}

/// Called first in every frame: remembers whether a popup (combo box, menu) was open when Esc
/// came, because egui closes it during the frame and the filters drawn after it must not also
/// act on the same press.
pub fn start_frame(ctx: &Context) {
    let popup = egui::Popup::is_any_open(ctx) && ctx.input(|i| i.key_pressed(Key::Escape));
    ctx.data_mut(|d| d.insert_temp(popup_flag(), popup));
}

/// True when this frame's Esc belongs to a popup that was open.
pub fn esc_closes_popup(ctx: &Context) -> bool {
    ctx.data(|d| d.get_temp::<bool>(popup_flag()).unwrap_or(false))
}

/// Takes this frame's Esc unless a popup owns it; true when taken.
pub fn take_esc(ctx: &Context) -> bool {
    !esc_closes_popup(ctx) && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape))
}

/// After a filter's text field: Esc while the field has (or just lost) the focus, or while it
/// holds text, clears the text and is used up. egui drops the focus on Esc but leaves the key.
pub fn filter_esc(ctx: &Context, field: &egui::Response, text: &mut String) -> bool {
    let open = field.has_focus() || field.lost_focus() || !text.is_empty();
    if !open || !ctx.input(|i| i.key_pressed(Key::Escape)) {
        return false;
    }
    if take_esc(ctx) {
        text.clear();
        field.surrender_focus();
        return true;
    }
    false
}

/// Alt+digit switches chart tabs. Some platforms also send the digit as text; drop that text
/// before any field sees it, so a focused filter never receives it.
pub fn drop_alt_digit_text(ctx: &Context) {
    ctx.input_mut(|i| {
        let alt_digit = i.events.iter().any(|e| {
            matches!(e, Event::Key { key, pressed: true, modifiers, .. }
                if modifiers.alt && digit(*key))
        });
        if alt_digit || i.modifiers.alt {
            i.events.retain(
                |e| !matches!(e, Event::Text(t) if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit())),
            );
        }
    });
}

fn digit(key: Key) -> bool {
    matches!(
        key,
        Key::Num0
            | Key::Num1
            | Key::Num2
            | Key::Num3
            | Key::Num4
            | Key::Num5
            | Key::Num6
            | Key::Num7
            | Key::Num8
            | Key::Num9
    )
}

/// PgUp/PgDn always, Home/End when no text field has the focus (there they move the cursor):
/// scroll the first scroll area that ends in this frame (the screen's table or list) by a page
/// or to its ends. egui has no keyboard paging of its own.
pub fn page_keys(ui: &egui::Ui) {
    let text_focus = ui.ctx().text_edit_focused();
    let page = (ui.ctx().content_rect().height() * 0.8).max(100.0);
    let delta = ui.input_mut(|i| {
        if i.consume_key(Modifiers::NONE, Key::PageDown) {
            Some(-page)
        } else if i.consume_key(Modifiers::NONE, Key::PageUp) {
            Some(page)
        } else if !text_focus && i.consume_key(Modifiers::NONE, Key::End) {
            Some(-1.0e7)
        } else if !text_focus && i.consume_key(Modifiers::NONE, Key::Home) {
            Some(1.0e7)
        } else {
            None
        }
    });
    if let Some(dy) = delta {
        ui.scroll_with_delta_animation(egui::vec2(0.0, dy), egui::style::ScrollAnimation::none());
    }
}
