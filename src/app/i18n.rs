//! The app's words in Chinese and English; every label goes through [`Lang::tr`].

use serde::{Deserialize, Serialize};

use crate::model::{LinkKind, LinkStatus};
use crate::themes::{Codebook, Theme};

/// The UI language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    /// 中文.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The language the system locale asks for (LC_ALL, LC_MESSAGES, LANG); Chinese for zh_*,
    /// English otherwise.
    pub fn from_environment() -> Self {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
            .unwrap_or_default();
        if locale.to_ascii_lowercase().starts_with("zh") {
            Self::Zh
        } else {
            Self::En
        }
    }

    /// The text in this language.
    pub fn tr(self, text: Text) -> &'static str {
        let (zh, en) = text.pair();
        match self {
            Self::Zh => zh,
            Self::En => en,
        }
    }

    /// A theme's name in this language.
    pub fn theme_name(self, theme: &Theme) -> &str {
        match self {
            Self::Zh => &theme.zh,
            Self::En => &theme.en,
        }
    }

    /// The names of these theme ids in this language, joined with 、 (unknown ids skipped).
    pub fn theme_names(self, codebook: &Codebook, theme_ids: &[String]) -> String {
        theme_ids
            .iter()
            .filter_map(|id| codebook.theme(id))
            .map(|theme| self.theme_name(theme))
            .collect::<Vec<_>>()
            .join(self.list_separator())
    }

    /// A link's probability as a percentage with its verbal band: `93% 很可能` / `93% likely`.
    pub fn likelihood(self, probability: f32) -> String {
        let (zh, en) = crate::align::likelihood_band(probability);
        let band = match self {
            Self::Zh => zh,
            Self::En => en,
        };
        format!("{:.0}% {band}", 100.0 * probability)
    }

    /// A link's evidence as one line in this language, largest contributions first.
    pub fn evidence(self, parts: &[crate::align::EvidencePart]) -> String {
        parts
            .iter()
            .filter(|part| part.contribution.abs() >= 0.1)
            .map(|part| {
                let (zh, en) = crate::align::evidence_label(&part.name);
                let name = match self {
                    Self::Zh => zh,
                    Self::En => en,
                };
                format!("{name} {:+.1}", part.contribution)
            })
            .collect::<Vec<_>>()
            .join(self.list_separator())
    }

    /// What separates the items of a list: 、 in Chinese, a comma in English.
    pub fn list_separator(self) -> &'static str {
        match self {
            Self::Zh => "、",
            Self::En => ", ",
        }
    }

    /// An administrative level's name.
    pub fn level(self, level: crate::model::Level) -> &'static str {
        use crate::model::Level;
        let (zh, en) = match level {
            Level::National => ("国家级", "national"),
            Level::Provincial => ("省级", "provincial"),
            Level::Municipal => ("市级", "municipal"),
            Level::District => ("区级", "district"),
            Level::County => ("县级", "county"),
        };
        self.pick(zh, en)
    }

    /// A plan genre's name.
    pub fn plan_kind(self, kind: crate::model::PlanKind) -> &'static str {
        use crate::model::PlanKind;
        let en = match kind {
            PlanKind::ActionPlan => "action plan",
            PlanKind::WorkPoints => "work points",
            PlanKind::Opinion => "opinion",
            PlanKind::ImplementationPlan => "implementation plan",
            PlanKind::Other => "plan",
        };
        self.pick(kind.zh(), en)
    }

    /// The years a plan covers as readers write them: `2016–2018`, `至2025年` / `to 2025`,
    /// `2023`; empty when unknown.
    pub fn period(self, period: crate::model::Period) -> String {
        match (period.start, period.end) {
            (Some(s), Some(e)) if s == e => s.to_string(),
            (Some(s), Some(e)) => format!("{s}–{e}"),
            (None, Some(e)) => match self {
                Self::Zh => format!("至{e}年"),
                Self::En => format!("to {e}"),
            },
            (Some(s), None) => match self {
                Self::Zh => format!("{s}年起"),
                Self::En => format!("from {s}"),
            },
            (None, None) => String::new(),
        }
    }

    fn pick(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Self::Zh => zh,
            Self::En => en,
        }
    }

    /// A link kind's label.
    pub fn kind(self, kind: LinkKind) -> &'static str {
        self.tr(match kind {
            LinkKind::NearVerbatim => Text::NearVerbatim,
            LinkKind::Refined => Text::Refined,
            LinkKind::Related => Text::Related,
        })
    }

    /// A link status's label.
    pub fn status(self, status: LinkStatus) -> &'static str {
        self.tr(match status {
            LinkStatus::Accepted => Text::Accepted,
            LinkStatus::Rejected => Text::Rejected,
            LinkStatus::Unreviewed => Text::Unreviewed,
        })
    }
}

/// Every fixed text of the UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    /// Menu.
    File,
    /// Menu.
    Language,
    /// Tab.
    SideBySide,
    /// Tab.
    Aligned,
    /// Column / sort key.
    Kind,
    /// Column / sort key.
    Status,
    /// Column / sort key.
    Themes,
    /// Sort key.
    PlanOrder,
    /// Label.
    SortBy,
    /// Panel heading.
    Library,
    /// Role of a plan.
    Left,
    /// Role of a plan.
    Right,
    /// Button.
    Swap,
    /// Counts.
    Measures,
    /// Counts.
    Links,
    /// Marker.
    Unmatched,
    /// Detail heading.
    Detail,
    /// Hint.
    SelectAMeasure,
    /// Label.
    SharedPhrases,
    /// Label.
    SharedThemes,
    /// Label.
    SharedUnits,
    /// Label.
    Score,
    /// The evidence the matcher weighed.
    Evidence,
    /// Matching menu: fit the model on the decisions.
    LearnFromDecisions,
    /// Its tooltip.
    LearnFromDecisionsHint,
    /// Matching menu: back to the shipped model.
    UseShippedModel,
    /// Toast after learning.
    Learned,
    /// Review progress.
    Reviewed,
    /// Tooltip of the panel toggles.
    TogglePanel,
    /// Toggle of the library panel.
    LibraryPanel,
    /// Toggle of the codebook panel.
    CodebookPanel,
    /// Connector legend.
    Legend,
    /// Connector width in the legend.
    LegendWidth,
    /// Diff legend: left only.
    LeftOnly,
    /// Diff legend: right only.
    RightOnly,
    /// Label.
    Diff,
    /// Menu entry.
    Quit,
    /// Link kind.
    NearVerbatim,
    /// Link kind.
    Refined,
    /// Link kind.
    Related,
    /// Heading.
    NoCounterpart,
    /// Button.
    Accept,
    /// Button.
    Reject,
    /// Link status.
    Accepted,
    /// Link status.
    Rejected,
    /// Link status.
    Unreviewed,
    /// UI text.
    PlanMissing,
    /// UI text.
    Open,
    /// UI text.
    Save,
    /// UI text.
    SaveAs,
    /// UI text.
    Export,
    /// UI text.
    Undo,
    /// UI text.
    Redo,
    /// UI text.
    NextMeasure,
    /// UI text.
    PreviousMeasure,
    /// UI text.
    NextUnreviewed,
    /// UI text.
    AcceptLink,
    /// UI text.
    RejectLink,
    /// UI text.
    TagTheme,
    /// UI text.
    Shortcuts,
    /// UI text.
    Edit,
    /// UI text.
    Help,
    /// UI text.
    Coverage,
    /// UI text.
    Codebook,
    /// UI text.
    Search,
    /// UI text.
    AnyTheme,
    /// UI text.
    AnyStatus,
    /// UI text.
    UnmatchedOnly,
    /// UI text.
    ClearFilter,
    /// UI text.
    Note,
    /// UI text.
    LinkWithSelected,
    /// UI text.
    Unlink,
    /// UI text.
    Manual,
    /// UI text.
    NewTheme,
    /// UI text.
    NameZh,
    /// UI text.
    NameEn,
    /// UI text.
    Colour,
    /// UI text.
    Apply,
    /// UI text.
    Cancel,
    /// UI text.
    Trace,
    /// UI text.
    CellMeasures,
    /// UI text.
    ClickACell,
    /// UI text.
    Saved,
    /// UI text.
    Exported,
    /// UI text.
    Opened,
    /// UI text.
    AlreadyOpen,
    /// UI text.
    UnknownExport,
    /// UI text.
    Untitled,
    /// UI text.
    TagSelected,
    /// UI text.
    FilterByTheme,
    /// UI text.
    TypeToFilter,
    /// UI text.
    Close,
    /// UI text.
    NoTrace,
    /// UI text.
    Theme,
    /// UI text.
    Plan,
    /// UI text.
    UnsavedBackup,
    /// The last session's work was kept in a file before a new session started.
    PreviousSessionKept,
    /// UI text.
    ManualLinks,
    /// UI text.
    InvalidTheme,
    /// UI text.
    Provenance,
    /// UI text.
    Bundled,
    /// UI text.
    SourceFile,
    /// UI text.
    Sha256,
    /// UI text.
    Encoding,
    /// UI text.
    ImportedAt,
    /// UI text.
    OriginalText,
    /// UI text.
    ReloadPlan,
    /// Filter: only measures offered a tag.
    SuggestionsOnly,
    /// Hover text of the suggestions filter.
    SuggestionsHint,
    /// Action and button: take a suggested tag.
    TakeSuggestion,
    /// Action and button: refuse a suggested tag.
    RefuseSuggestion,
    /// Chip prefix of a suggested tag.
    Suggested,
    /// Hover text of a suggested tag: where it comes from.
    SuggestedFrom,
    /// Codebook panel heading.
    Suggestions,
    /// Provenance window: the jurisdiction's chain of divisions with codes.
    Division,
    /// Provenance of a pasted plan.
    PastedFromClipboard,
    /// Menu item and library button.
    PastePlan,
    /// Hover text of the library's paste button.
    PastePlanHint,
    /// Error toast prefix (in place of a file name).
    PastedText,
    /// Error toast.
    ClipboardEmpty,
    /// UI text.
    Reloaded,
    /// UI text.
    GoneWithWork,
    /// Tab.
    Cascade,
    /// UI text.
    CascadeBase,
    /// UI text.
    CascadeHint,
    /// UI text.
    CascadeNeedsPlans,
    /// UI text.
    CascadeMeasure,
    /// UI text.
    CascadeTakenUp,
    /// UI text.
    CascadeGap,
    /// UI text.
    CascadeOwn,
    /// UI text.
    PathOpenTitle,
    /// UI text.
    PathSaveTitle,
    /// UI text.
    PathExportTitle,
    /// UI text.
    PathExportCodebookTitle,
    /// UI text.
    PathImportCodebookTitle,
    /// UI text.
    PathPromptText,
    /// UI text.
    NoFileDialog,
    /// UI text.
    SavedUntitled,
    /// UI text.
    Ok,
    /// UI text.
    RecoverTitle,
    /// UI text.
    RecoverText,
    /// UI text.
    Recover,
    /// UI text.
    Discard,
    /// UI text.
    TagEditsCount,
    /// UI text.
    DecisionsCount,
    /// UI text.
    ExportCodebook,
    /// UI text.
    ImportCodebook,
    /// UI text.
    DropToOpen,
    /// UI text.
    PlansAndWorkspaces,
    /// A workspace plan whose file changed since the workspace was saved.
    PlanChanged,
    /// Menu: the matcher's settings.
    Matching,
    /// Setting: traditional characters compare as simplified.
    FoldTraditional,
    /// Hover text of that setting.
    FoldTraditionalHint,
    /// UI text.
    CurrentLink,
    /// UI text.
    NoMatch,
}

impl Text {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            Self::File => ("文件", "File"),
            Self::Language => ("语言", "Language"),
            Self::SideBySide => ("并排", "Side by side"),
            Self::Aligned => ("对齐表", "Aligned table"),
            Self::Kind => ("类型", "Kind"),
            Self::Status => ("状态", "Status"),
            Self::Themes => ("主题", "Themes"),
            Self::PlanOrder => ("原文顺序", "Plan order"),
            Self::SortBy => ("排序", "Sort by"),
            Self::Library => ("规划库", "Plan library"),
            Self::Left => ("左", "Left"),
            Self::Right => ("右", "Right"),
            Self::Swap => ("左右互换", "Swap sides"),
            Self::Measures => ("条措施", "measures"),
            Self::Links => ("条关联", "links"),
            Self::Unmatched => ("无对应", "Unmatched"),
            Self::Detail => ("详情", "Detail"),
            Self::SelectAMeasure => (
                "点击左右任一措施查看关联与差异",
                "Select a measure to see its links and differences",
            ),
            Self::SharedPhrases => ("共同表述", "Shared phrases"),
            Self::SharedThemes => ("共同主题", "Shared themes"),
            Self::SharedUnits => ("共同单位", "Shared agencies"),
            Self::Score => ("可能性", "Likelihood"),
            Self::Evidence => ("依据", "Evidence"),
            Self::LearnFromDecisions => ("从我的判断中学习", "Learn from my decisions"),
            Self::LearnFromDecisionsHint => (
                "用已接受、手动和已拒绝的关联调整匹配模型（至少10条，每类至少3条），可撤销",
                "Fit the matcher to your accepted, manual and rejected links (at least 10, 3 of each kind); undoable",
            ),
            Self::UseShippedModel => ("恢复内置模型", "Use the shipped model"),
            Self::Reviewed => ("已审核", "Reviewed"),
            Self::TogglePanel => ("显示或收起此面板", "Show or collapse this panel"),
            Self::LibraryPanel => ("规划库面板", "Library panel"),
            Self::CodebookPanel => ("编码本面板", "Codebook panel"),
            Self::Legend => ("连线：", "Connectors:"),
            Self::LegendWidth => ("（越粗可能性越高）", "(thicker: more likely)"),
            Self::LeftOnly => ("仅左侧", "left only"),
            Self::RightOnly => ("仅右侧", "right only"),
            Self::Learned => (
                "已从判断中学习，交叉验证 F1",
                "Learned from your decisions; cross-validated F1",
            ),
            Self::Diff => ("文字差异", "Text difference"),
            Self::Quit => ("退出", "Quit"),
            Self::NearVerbatim => ("照搬", "near-verbatim"),
            Self::Refined => ("细化", "refined"),
            Self::Related => ("调整", "related"),
            Self::NoCounterpart => ("无对应措施", "No counterpart"),
            Self::Accept => ("接受", "Accept"),
            Self::Reject => ("拒绝", "Reject"),
            Self::Accepted => ("已接受", "accepted"),
            Self::Rejected => ("已拒绝", "rejected"),
            Self::Unreviewed => ("未审核", "unreviewed"),
            Self::PlanMissing => ("规划文件缺失", "Plan file missing"),
            Self::Open => ("打开规划或工作区…", "Open plans or workspace…"),
            Self::Save => ("保存工作区", "Save workspace"),
            Self::SaveAs => ("工作区另存为…", "Save workspace as…"),
            Self::Export => ("导出对齐报告…", "Export alignment report…"),
            Self::Undo => ("撤销", "Undo"),
            Self::Redo => ("重做", "Redo"),
            Self::NextMeasure => ("下一条措施", "Next measure"),
            Self::PreviousMeasure => ("上一条措施", "Previous measure"),
            Self::NextUnreviewed => ("下一条未审核关联", "Next unreviewed link"),
            Self::AcceptLink => ("接受当前关联", "Accept current link"),
            Self::RejectLink => ("拒绝当前关联", "Reject current link"),
            Self::TagTheme => ("为所选措施标注主题…", "Tag selected measure…"),
            Self::Shortcuts => ("快捷键", "Keyboard shortcuts"),
            Self::Edit => ("编辑", "Edit"),
            Self::Help => ("帮助", "Help"),
            Self::Coverage => ("主题覆盖", "Coverage"),
            Self::Codebook => ("主题编码", "Codebook"),
            Self::Search => ("搜索", "Search"),
            Self::AnyTheme => ("全部主题", "Any theme"),
            Self::AnyStatus => ("全部状态", "Any status"),
            Self::UnmatchedOnly => ("仅无对应", "Unmatched only"),
            Self::ClearFilter => ("清除筛选", "Clear filter"),
            Self::Note => ("备注", "Note"),
            Self::LinkWithSelected => ("与所选措施关联", "Link with selected"),
            Self::Unlink => ("取消关联", "Unlink"),
            Self::Manual => ("人工", "manual"),
            Self::NewTheme => ("新建主题", "New theme"),
            Self::NameZh => ("中文名", "Chinese name"),
            Self::NameEn => ("英文名", "English name"),
            Self::Colour => ("颜色", "Colour"),
            Self::Apply => ("确定", "Apply"),
            Self::Cancel => ("取消", "Cancel"),
            Self::Trace => ("跨规划追踪", "Trace across plans"),
            Self::CellMeasures => ("单元格中的措施", "Measures in the cell"),
            Self::ClickACell => ("点击单元格查看其措施", "Click a cell to list its measures"),
            Self::Saved => ("已保存", "Saved"),
            Self::Exported => ("已导出", "Exported"),
            Self::Opened => ("已打开", "Opened"),
            Self::AlreadyOpen => ("已在规划库中", "Already in the library"),
            Self::UnknownExport => (
                "无法识别的导出格式（请用 .xlsx、.docx、.html、.md、.csv 或 .json）",
                "Unknown export format (use .xlsx, .docx, .html, .md, .csv or .json)",
            ),
            Self::Untitled => ("未命名工作区", "Untitled workspace"),
            Self::TagSelected => ("标注所选措施", "Tag the selected measure"),
            Self::FilterByTheme => ("按主题筛选", "Filter by theme"),
            Self::TypeToFilter => ("输入以筛选主题", "Type to filter themes"),
            Self::Close => ("关闭", "Close"),
            Self::NoTrace => ("其他规划中无相近措施", "No close measure in other plans"),
            Self::Theme => ("主题", "Theme"),
            Self::Plan => ("规划", "Plan"),
            Self::UnsavedBackup => ("未保存的工作已另存为", "Unsaved work was kept in"),
            Self::PreviousSessionKept => (
                "上次会话的工作已另存为",
                "The last session's work was kept in",
            ),
            Self::CurrentLink => (
                "设为当前关联（A 接受 / R 拒绝）",
                "Make current (A accepts, R rejects)",
            ),
            Self::NoMatch => ("没有符合筛选条件的措施", "No measure matches the filter"),
            Self::DropToOpen => (
                "松开以打开规划文件或工作区",
                "Drop to open plan files or a workspace",
            ),
            Self::ExportCodebook => ("导出主题编码（REFI-QDA）…", "Export codebook (REFI-QDA)…"),
            Self::ImportCodebook => ("导入主题编码（REFI-QDA）…", "Import codebook (REFI-QDA)…"),
            Self::Cascade => ("层级对照", "Cascade"),
            Self::CascadeBase => ("基准规划：", "Base plan:"),
            Self::CascadeHint => (
                "每行是基准规划（左侧规划）的一项措施，每列是另一份规划中的对应措施；点击对应措施可并排打开该关联。",
                "Each row is a measure of the base plan (the left plan); each column shows its counterparts in another plan. Click one to open that link side by side.",
            ),
            Self::CascadeNeedsPlans => (
                "请再打开至少一份规划以进行对照。",
                "Open at least one more plan to trace the base plan across.",
            ),
            Self::CascadeMeasure => ("基准措施", "Base measure"),
            Self::CascadeTakenUp => ("已承接", "taken up"),
            Self::CascadeGap => ("— 缺口（无对应措施）", "— gap (no counterpart)"),
            Self::CascadeOwn => (
                "各规划的自有措施（基准规划中无对应）",
                "Each plan's own measures (no counterpart in the base plan)",
            ),
            Self::PathOpenTitle => ("打开文件", "Open a file"),
            Self::PathSaveTitle => ("工作区另存为", "Save the workspace as"),
            Self::PathExportTitle => ("导出对齐报告", "Export the alignment report"),
            Self::PathExportCodebookTitle => ("导出主题编码", "Export the codebook"),
            Self::PathImportCodebookTitle => ("导入主题编码", "Import a codebook"),
            Self::PathPromptText => (
                "本机没有可用的系统文件对话框。请输入文件路径：",
                "No system file dialog is available on this desktop. Type the file's path:",
            ),
            Self::NoFileDialog => (
                "系统文件对话框不可用，请在窗口中输入路径",
                "The system file dialog is not available: type the path in the app's window",
            ),
            Self::SavedUntitled => (
                "系统文件对话框不可用，工作区已保存到",
                "No system file dialog: the workspace was saved to",
            ),
            Self::Ok => ("确定", "OK"),
            Self::RecoverTitle => ("恢复未保存的工作", "Recover unsaved work"),
            Self::RecoverText => (
                "自动保存中有比该工作区文件更新的修改。是否恢复？",
                "The autosave holds changes newer than this workspace file. Recover them?",
            ),
            Self::Recover => ("恢复", "Recover"),
            Self::Discard => ("放弃", "Discard"),
            Self::TagEditsCount => ("条主题标注", "tag edits"),
            Self::DecisionsCount => ("条关联决定", "link decisions"),
            Self::Provenance => ("来源", "Source"),
            Self::Bundled => ("内置规划", "bundled plan"),
            Self::SourceFile => ("文件", "File"),
            Self::Sha256 => ("SHA-256", "SHA-256"),
            Self::Encoding => ("编码", "Encoding"),
            Self::ImportedAt => ("导入时间", "Imported at"),
            Self::OriginalText => ("原文", "Original text"),
            Self::ReloadPlan => ("从文件重新导入", "Re-import from the file"),
            Self::SuggestionsOnly => ("仅看建议标签", "Suggested tags only"),
            Self::SuggestionsHint => (
                "已采纳链接另一端的手工标签，建议加到本措施上",
                "Hand tags at the other end of an accepted link, offered to this measure",
            ),
            Self::TakeSuggestion => ("采纳建议标签", "Take suggested tag"),
            Self::RefuseSuggestion => ("拒绝建议标签", "Refuse suggested tag"),
            Self::Suggested => ("建议", "suggested"),
            Self::SuggestedFrom => (
                "来自已采纳链接的另一端：",
                "From the other end of an accepted link: ",
            ),
            Self::Suggestions => ("建议标签", "Suggested tags"),
            Self::PastedFromClipboard => ("从剪贴板粘贴", "pasted from the clipboard"),
            Self::Division => ("行政区划（代码）", "Division (code)"),
            Self::PastePlan => ("从剪贴板新建方案", "New plan from clipboard"),
            Self::PastePlanHint => (
                "在网页上全选并复制方案全文，然后点此（或按 Ctrl+Shift+V）",
                "Select and copy a plan's full text on a web page, then click here (or press Ctrl+Shift+V)",
            ),
            Self::PastedText => ("粘贴的文本", "pasted text"),
            Self::ClipboardEmpty => ("剪贴板中没有文本", "The clipboard holds no text"),
            Self::Reloaded => ("已重新导入", "Re-imported"),
            Self::GoneWithWork => (
                "重新导入后以下措施已不存在，其标注与关联决定仍保留在工作区中",
                "These measures are gone after re-import; their tags and link decisions stay in the workspace",
            ),
            Self::InvalidTheme => (
                "主题名称不能为空，颜色须为 #RRGGBB",
                "A theme needs both names and a #RRGGBB colour",
            ),
            Self::PlansAndWorkspaces => ("规划文件与工作区", "Plans and workspaces"),
            Self::Matching => ("匹配", "Matching"),
            Self::PlanChanged => (
                "规划文件在工作区保存后已更改，已重新读取，原有标注保留",
                "Plan file changed since the workspace was saved; re-read, the work on it kept",
            ),
            Self::FoldTraditional => (
                "繁体字按简体比较",
                "Compare traditional characters as simplified",
            ),
            Self::FoldTraditionalHint => (
                "質量 与 质量 视为相同；原文照原样显示",
                "質量 counts as 质量; the text is shown as written",
            ),
            Self::ManualLinks => ("人工关联", "Manual links"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_every_text() {
        for text in [Text::File, Text::Library, Text::Unmatched, Text::Diff] {
            assert!(!Lang::Zh.tr(text).is_empty() && !Lang::En.tr(text).is_empty());
            assert_ne!(Lang::Zh.tr(text), Lang::En.tr(text));
        }
    }
}
