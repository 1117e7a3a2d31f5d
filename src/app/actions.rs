//! The one command table: every action the menus, buttons, shortcuts and the help window
//! offer, with its label and keys.

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::model::LinkStatus;

use super::command::Command;
use super::i18n::Text;

/// An action of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Open plan files or a workspace.
    Open,
    /// A new plan from the clipboard's text.
    PastePlan,
    /// Save the workspace.
    Save,
    /// Save the workspace as.
    SaveAs,
    /// Export the alignment report.
    Export,
    /// Undo.
    Undo,
    /// Redo.
    Redo,
    /// Next measure.
    Next,
    /// Previous measure.
    Previous,
    /// Next unreviewed link.
    NextUnreviewed,
    /// Accept the current link.
    Accept,
    /// Reject the current link.
    Reject,
    /// Tag the selected measure.
    Tag,
    /// Take the tag offered to the selected measure.
    TakeSuggestion,
    /// Refuse the tag offered to the selected measure.
    RefuseSuggestion,
    /// Show the shortcuts.
    Help,
    /// Close the app.
    Quit,
}

/// A row of the table.
pub struct Entry {
    /// The action.
    pub action: Action,
    /// Its label.
    pub text: Text,
    /// Its keys (the first is shown in menus).
    pub keys: &'static [KeyboardShortcut],
}

const fn key(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::NONE, key)
}

const fn ctrl(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, key)
}

const fn ctrl_shift(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(
        Modifiers {
            alt: false,
            ctrl: false,
            shift: true,
            mac_cmd: false,
            command: true,
        },
        key,
    )
}

/// Every action, in menu order.
pub const ACTIONS: &[Entry] = &[
    Entry {
        action: Action::Open,
        text: Text::Open,
        keys: &[ctrl(Key::O)],
    },
    Entry {
        action: Action::PastePlan,
        text: Text::PastePlan,
        keys: &[ctrl_shift(Key::V)],
    },
    Entry {
        action: Action::Save,
        text: Text::Save,
        keys: &[ctrl(Key::S)],
    },
    Entry {
        action: Action::SaveAs,
        text: Text::SaveAs,
        keys: &[ctrl_shift(Key::S)],
    },
    Entry {
        action: Action::Export,
        text: Text::Export,
        keys: &[ctrl(Key::E)],
    },
    Entry {
        action: Action::Undo,
        text: Text::Undo,
        keys: &[ctrl(Key::Z)],
    },
    Entry {
        action: Action::Redo,
        text: Text::Redo,
        keys: &[ctrl_shift(Key::Z), ctrl(Key::Y)],
    },
    Entry {
        action: Action::Next,
        text: Text::NextMeasure,
        keys: &[key(Key::J), key(Key::ArrowDown)],
    },
    Entry {
        action: Action::Previous,
        text: Text::PreviousMeasure,
        keys: &[key(Key::K), key(Key::ArrowUp)],
    },
    Entry {
        action: Action::NextUnreviewed,
        text: Text::NextUnreviewed,
        keys: &[key(Key::N)],
    },
    Entry {
        action: Action::Accept,
        text: Text::AcceptLink,
        keys: &[key(Key::A)],
    },
    Entry {
        action: Action::Reject,
        text: Text::RejectLink,
        keys: &[key(Key::R)],
    },
    Entry {
        action: Action::Tag,
        text: Text::TagTheme,
        keys: &[key(Key::T)],
    },
    Entry {
        action: Action::TakeSuggestion,
        text: Text::TakeSuggestion,
        keys: &[key(Key::Y)],
    },
    Entry {
        action: Action::RefuseSuggestion,
        text: Text::RefuseSuggestion,
        keys: &[key(Key::X)],
    },
    Entry {
        action: Action::Help,
        text: Text::Shortcuts,
        keys: &[key(Key::F1)],
    },
    Entry {
        action: Action::Quit,
        text: Text::Quit,
        keys: &[ctrl(Key::Q)],
    },
];

impl Action {
    /// The command the action stands for.
    pub fn command(self) -> Command {
        match self {
            Self::Open => Command::OpenDialog,
            Self::PastePlan => Command::PasteFromClipboard,
            Self::Save => Command::Save,
            Self::SaveAs => Command::SaveAsDialog,
            Self::Export => Command::ExportDialog,
            Self::Undo => Command::Undo,
            Self::Redo => Command::Redo,
            Self::Next => Command::StepMeasure { forward: true },
            Self::Previous => Command::StepMeasure { forward: false },
            Self::NextUnreviewed => Command::NextUnreviewed,
            Self::Accept => Command::DecideCurrent(LinkStatus::Accepted),
            Self::Reject => Command::DecideCurrent(LinkStatus::Rejected),
            Self::Tag => Command::ThemePicker(true),
            Self::TakeSuggestion => Command::DecideSelectedSuggestion(true),
            Self::RefuseSuggestion => Command::DecideSelectedSuggestion(false),
            Self::Help => Command::Help(true),
            Self::Quit => Command::Quit,
        }
    }

    /// The table row of the action.
    pub fn entry(self) -> Option<&'static Entry> {
        ACTIONS.iter().find(|entry| entry.action == self)
    }
}

/// The commands of the shortcuts pressed this frame. Keys without a modifier are ignored while
/// a text field has the keyboard; shortcuts with more modifiers are matched first, so
/// Ctrl+Shift+Z is redo and not undo.
pub fn shortcut_commands(ctx: &egui::Context) -> Vec<Command> {
    let typing = ctx.egui_wants_keyboard_input();
    let mut keys: Vec<(&KeyboardShortcut, Action)> = ACTIONS
        .iter()
        .flat_map(|entry| entry.keys.iter().map(move |k| (k, entry.action)))
        .filter(|(k, _)| !(typing && k.modifiers.is_none()))
        .collect();
    keys.sort_by_key(|(k, _)| std::cmp::Reverse(modifier_count(k.modifiers)));
    ctx.input_mut(|input| {
        keys.iter()
            .filter(|(k, _)| input.consume_shortcut(k))
            .map(|(_, action)| action.command())
            .collect()
    })
}

fn modifier_count(modifiers: Modifiers) -> usize {
    [
        modifiers.alt,
        modifiers.shift,
        modifiers.command || modifiers.ctrl || modifiers.mac_cmd,
    ]
    .iter()
    .filter(|m| **m)
    .count()
}

/// The keys of an action as shown to the user, e.g. `Ctrl+Shift+Z / Ctrl+Y`.
pub fn keys_text(ctx: &egui::Context, entry: &Entry) -> String {
    entry
        .keys
        .iter()
        .map(|k| ctx.format_shortcut(k))
        .collect::<Vec<_>>()
        .join(" / ")
}
