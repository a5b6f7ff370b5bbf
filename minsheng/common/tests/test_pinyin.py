from minsheng.common.pinyin import name_sort_key


def test_surnames_with_special_readings_sort_by_their_surname_reading():
    names = ["曾丽", "单国强", "区文", "陈海", "张伟", "欧阳明", "邹平", "山田", "曾经"]
    ordered = sorted(names, key=name_sort_key)
    # 曾 reads zeng (not ceng), 单 reads shan (not dan), 区 reads ou (not qu)
    assert ordered == ["陈海", "区文", "欧阳明", "单国强", "山田", "曾经", "曾丽", "张伟", "邹平"]


def test_the_sort_key_is_the_pinyin_of_the_surname_reading():
    assert name_sort_key("曾丽") == "zeng1li0曾丽"
    assert name_sort_key("单国强") == "shan1guo1qiang0单国强"
    assert name_sort_key("区文") == "ou1wen0区文"


def test_a_shorter_name_sorts_before_a_longer_one_with_the_same_start():
    # homophones (陈宏, 陈红) keep a stable order by the name itself
    assert sorted(["陈红燕", "陈红", "陈宏"], key=name_sort_key) == ["陈宏", "陈红", "陈红燕"]


def test_initials_follow_the_surnames_own_reading():
    from minsheng.common.pinyin import name_initials

    assert name_initials("陈海") == "ch"
    assert name_initials("曾丽") == "zl"  # 曾 zeng, not ceng
    assert name_initials("欧阳明") == "oym"


def test_names_of_places_and_units_have_pinyin_and_initials():
    from minsheng.common.pinyin import text_initials, text_pinyin

    assert text_pinyin("海宴镇") == "haiyanzhen"
    assert text_initials("江门市民政局") == "jmsmzj"
    assert text_initials("江门市第2中学") == "jmsdzx"  # a digit adds nothing


def test_a_typed_query_is_pinyin_only_when_it_is_letters():
    from minsheng.common.pinyin import letters_query

    assert letters_query(" Zeng Li ") == "zengli"
    assert letters_query("曾丽") == ""
    assert letters_query("zl2") == ""
