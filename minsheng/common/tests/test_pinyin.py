from minsheng.common.pinyin import name_sort_key


def test_surnames_with_special_readings_sort_by_their_surname_reading():
    names = ["曾丽", "单国强", "区文", "陈海", "张伟", "欧阳明", "邹平", "山田", "曾经"]
    ordered = sorted(names, key=name_sort_key)
    # 曾 reads zeng (not ceng), 单 reads shan (not dan), 区 reads ou (not qu)
    assert ordered == ["陈海", "区文", "欧阳明", "单国强", "山田", "曾经", "曾丽", "张伟", "邹平"]


def test_the_sort_key_starts_with_the_pinyin_so_a_pinyin_prefix_finds_the_name():
    assert name_sort_key("曾丽").startswith("zeng li")
    assert name_sort_key("单国强").startswith("shan guo qiang")
    assert name_sort_key("区文").startswith("ou wen")
