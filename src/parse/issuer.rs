//! Issuing bodies: joint issuers written together split into their organs (中共杭州市委 杭州市人民政府),
//! and whether an organ is a national one (国务院, 市场监管总局 …).

use crate::gazetteer::gazetteer;

/// Endings after which a new organ may start.
const ORGAN_ENDINGS: &[&str] = &[
    "人民政府",
    "政府",
    "办公厅",
    "办公室",
    "委员会",
    "领导小组",
    "管委会",
    "中央",
    "总局",
    "总署",
    "局",
    "委",
    "厅",
    "部",
    "院",
    "署",
    "行",
    "会",
    "小组",
];

/// National organs named without a place (ministries and central bodies whose names do not
/// start with 国家 / 国务院 / 中共中央 / 全国 / 中央).
const NATIONAL_ORGANS: &[&str] = &[
    "市场监管总局",
    "海关总署",
    "税务总局",
    "广电总局",
    "体育总局",
    "审计署",
    "外交部",
    "国防部",
    "教育部",
    "科技部",
    "工业和信息化部",
    "工信部",
    "公安部",
    "民政部",
    "司法部",
    "财政部",
    "人力资源社会保障部",
    "人力资源和社会保障部",
    "自然资源部",
    "生态环境部",
    "住房城乡建设部",
    "住房和城乡建设部",
    "交通运输部",
    "水利部",
    "农业农村部",
    "商务部",
    "文化和旅游部",
    "退役军人事务部",
    "应急管理部",
    "人民银行",
    "中国人民银行",
    "中国证监会",
    "证监会",
    "中国银保监会",
    "金融监管总局",
    "共青团中央",
    "中国科协",
    "中华全国总工会",
    "最高人民法院",
    "最高人民检察院",
];

/// Starts of national organs' names.
const NATIONAL_STARTS: &[&str] = &[
    "国务院",
    "国家",
    "中共中央",
    "全国",
    "中央",
    "中华人民共和国",
];

/// Splits organ names written together (as a page without spaces shows them) into the organs:
/// `中共杭州市委杭州市人民政府` → `[中共杭州市委, 杭州市人民政府]`. `key` is the matching key
/// of `text` (same characters one for one); the parts are cut from `text`. Separators
/// (space, 、, ，) split too.
pub fn split_organs(text: &str, key: &str) -> Vec<String> {
    let text_chars: Vec<char> = text.chars().collect();
    let key_chars: Vec<char> = key.chars().collect();
    if text_chars.len() != key_chars.len() {
        return vec![text.trim().to_owned()];
    }
    let mut parts = Vec::new();
    let mut start = 0;
    let push = |from: usize, to: usize, parts: &mut Vec<String>| {
        let part: String = text_chars
            .get(from..to)
            .unwrap_or_default()
            .iter()
            .collect();
        let part = part.trim().to_owned();
        if !part.is_empty() {
            parts.push(part);
        }
    };
    let mut index = 0;
    while index < key_chars.len() {
        let Some(&ch) = key_chars.get(index) else {
            break;
        };
        if matches!(ch, ' ' | '、' | ',' | '，' | '/') {
            push(start, index, &mut parts);
            start = index + 1;
        } else if index > start + 2 {
            let before: String = key_chars
                .get(start..index)
                .unwrap_or_default()
                .iter()
                .collect();
            let after: String = key_chars.get(index..).unwrap_or_default().iter().collect();
            if ORGAN_ENDINGS.iter().any(|ending| before.ends_with(ending)) && starts_organ(&after) {
                push(start, index, &mut parts);
                start = index;
            }
        }
        index += 1;
    }
    push(start, key_chars.len(), &mut parts);
    parts
}

/// Whether a new organ's name starts here: 中共…, a national organ, or an official place name.
fn starts_organ(key: &str) -> bool {
    key.starts_with("中共")
        || NATIONAL_STARTS.iter().any(|start| key.starts_with(start))
        || NATIONAL_ORGANS.iter().any(|organ| key.starts_with(organ))
        || gazetteer()
            .name_at(key)
            .is_some_and(|(_, found)| found.iter().any(|(_, short)| !short))
}

/// Whether an organ (its matching key) is a national one: 国务院办公厅, 中共中央, 国家发展改革委,
/// 市场监管总局, 工业和信息化部 ….
pub fn is_national_organ(key: &str) -> bool {
    let key = key.trim();
    if NATIONAL_STARTS.iter().any(|start| key.starts_with(start))
        || NATIONAL_ORGANS.iter().any(|organ| key.starts_with(organ))
    {
        return true;
    }
    // A 总局 or 总署 named without a place (local bodies are 市市场监管局, 区市场监管局).
    let relative = key.starts_with(['省', '市', '区', '县', '州', '镇']);
    (key.ends_with("总局") || key.ends_with("总署"))
        && !relative
        && gazetteer().name_at(key).is_none()
}

/// The organ's name without a leading 中共 (中共杭州市委 → 杭州市委), where its place starts.
pub fn without_party_prefix(key: &str) -> &str {
    key.strip_prefix("中国共产党")
        .or_else(|| key.strip_prefix("中共"))
        .unwrap_or(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::text::key_of;

    fn split(text: &str) -> Vec<String> {
        split_organs(text, &key_of(text))
    }

    #[test]
    fn joint_issuers_split_into_organs() {
        assert_eq!(
            split("中共杭州市委杭州市人民政府"),
            ["中共杭州市委", "杭州市人民政府"]
        );
        assert_eq!(split("中共中央国务院"), ["中共中央", "国务院"]);
        assert_eq!(
            split("中共浙江省委办公厅浙江省人民政府办公厅"),
            ["中共浙江省委办公厅", "浙江省人民政府办公厅"]
        );
        assert_eq!(
            split("上海市嘉定区人民政府办公室"),
            ["上海市嘉定区人民政府办公室"]
        );
        assert_eq!(split("国务院办公厅"), ["国务院办公厅"]);
        assert_eq!(
            split("市场监管总局、国家发展改革委"),
            ["市场监管总局", "国家发展改革委"]
        );
        assert_eq!(split("上海市质量工作领导小组"), ["上海市质量工作领导小组"]);
    }

    #[test]
    fn national_organs() {
        assert!(is_national_organ("市场监管总局"));
        assert!(is_national_organ("国家市场监督管理总局"));
        assert!(is_national_organ("国务院办公厅"));
        assert!(is_national_organ("工业和信息化部"));
        assert!(!is_national_organ("上海市市场监督管理局"));
        assert!(!is_national_organ("区质量发展领导小组办公室"));
        assert!(!is_national_organ("杭州市人民政府"));
    }
}
