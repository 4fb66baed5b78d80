"""Vocabularies of disclosure records: (code, label) pairs, codes stable, labels Chinese.

* ``TOPICS`` — 主题分类: the top level of the State Council's subject classification used by
  government information disclosure catalogs (政府信息公开目录), 21 classes.
* ``STATUTORY_CATEGORIES`` — the 15 kinds of information the Regulation on Open Government
  Information (2019) Art. 20 requires to be disclosed proactively (法定主动公开内容), in the
  article's order; a record may belong to several (stored with CodeSetField).
* ``VALIDITY`` — the validity of a normative document (规范性文件).
"""

TOPICS: tuple[tuple[str, str], ...] = (
    ("general", "综合政务"),
    ("economy", "国民经济管理、国有资产监管"),
    ("finance", "财政、金融、审计"),
    ("land_energy", "国土资源、能源"),
    ("agriculture", "农业、林业、水利"),
    ("industry_transport", "工业、交通"),
    ("commerce", "商贸、海关、旅游"),
    ("market_safety", "市场监管、安全生产监管"),
    ("urban_environment", "城乡建设、环境保护"),
    ("science_education", "科技、教育"),
    ("culture_media", "文化、广电、新闻出版"),
    ("health_sports", "卫生、体育"),
    ("population_family", "人口与计划生育、妇女儿童工作"),
    ("labour_personnel", "劳动、人事、监察"),
    ("public_security", "公安、安全、司法"),
    ("civil_affairs", "民政、扶贫、救灾"),
    ("ethnic_religion", "民族、宗教"),
    ("foreign_affairs", "对外事务"),
    ("hmt_overseas", "港澳台侨工作"),
    ("defence", "国防"),
    ("other", "其他"),
)

# 《中华人民共和国政府信息公开条例》（2019）第二十条 (1)–(15).
STATUTORY_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("regulations", "行政法规、规章和规范性文件"),
    ("organization", "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名"),
    ("plans", "国民经济和社会发展规划、专项规划、区域规划及相关政策"),
    ("statistics", "国民经济和社会发展统计信息"),
    ("licensing", "行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果"),
    ("penalties", "行政处罚、行政强制的依据、条件、程序以及有一定社会影响的行政处罚决定"),
    ("budget", "财政预算、决算信息"),
    ("fees", "行政事业性收费项目及其依据、标准"),
    ("procurement", "政府集中采购项目的目录、标准及实施情况"),
    ("major_projects", "重大建设项目的批准和实施情况"),
    ("livelihood", "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况"),
    ("emergencies", "突发公共事件的应急预案、预警信息及应对情况"),
    (
        "supervision",
        "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
    ),
    ("civil_service", "公务员招考的职位、名额、报考条件等事项以及录用结果"),
    ("other_statutory", "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息"),
)

VALIDITY: tuple[tuple[str, str], ...] = (
    ("valid", "有效"),
    ("expired", "失效"),
    ("repealed", "废止"),
)


def label(vocabulary: tuple[tuple[str, str], ...], code: str) -> str:
    return dict(vocabulary).get(code, code)
