"""Names the demo draws from: its departments, teams and staff, and the parts of client names.

Pure data, no Django. Chinese names carry their pinyin so usernames, e-mail
addresses and IM handles can be derived from them deterministically.
"""

from __future__ import annotations

from dataclasses import dataclass

from kefu.core.roles import Role


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str


@dataclass(frozen=True)
class TeamSpec:
    department: str  # DepartmentSpec.code
    name: str
    working_hours: str
    working_days: str


@dataclass(frozen=True)
class StaffSpec:
    username: str
    display_name: str
    role: Role
    department: str  # DepartmentSpec.code
    team: str | None  # TeamSpec.name within the department
    language: str = "zh-hans"
    english_name: str = ""  # how the agent signs English replies


SERVICE = "service"
ENGINEERING = "engineering"
TECHNOLOGY = "technology"
FINANCE = "finance"

HOTLINE_1 = "热线一组"
HOTLINE_2 = "热线二组"
ONLINE = "在线组"
COMPLAINTS = "投诉处理组"
SITE_TEAM = "工程项目组"
SUPPORT_TEAM = "运维支持组"
BILLING_TEAM = "结算组"

DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    DepartmentSpec(SERVICE, "客服中心"),
    DepartmentSpec(ENGINEERING, "工程部"),
    DepartmentSpec(TECHNOLOGY, "技术部"),
    DepartmentSpec(FINANCE, "财务部"),
)

# The hotline teams cover a long day in two shifts; the online team also works weekends.
TEAMS: tuple[TeamSpec, ...] = (
    TeamSpec(SERVICE, HOTLINE_1, "08:30-12:00,13:00-20:00", "1,2,3,4,5,6"),
    TeamSpec(SERVICE, HOTLINE_2, "10:00-13:00,14:00-21:00", "1,2,3,4,5,6,7"),
    TeamSpec(SERVICE, ONLINE, "09:00-12:00,12:30-21:00", "1,2,3,4,5,6,7"),
    TeamSpec(SERVICE, COMPLAINTS, "09:00-12:00,13:00-18:00", "1,2,3,4,5"),
    TeamSpec(ENGINEERING, SITE_TEAM, "08:00-12:00,13:00-17:30", "1,2,3,4,5,6"),
    TeamSpec(TECHNOLOGY, SUPPORT_TEAM, "09:00-12:00,13:00-18:00", "1,2,3,4,5"),
    TeamSpec(FINANCE, BILLING_TEAM, "09:00-12:00,13:00-17:30", "1,2,3,4,5"),
)

SERVICE_TEAMS: tuple[str, ...] = (HOTLINE_1, HOTLINE_2, ONLINE, COMPLAINTS)


def _agent(username: str, name: str, team: str, english_name: str = "") -> StaffSpec:
    language = "en" if english_name else "zh-hans"
    return StaffSpec(username, name, Role.AGENT, SERVICE, team, language, english_name)


STAFF: tuple[StaffSpec, ...] = (
    StaffSpec("admin", "系统管理员", Role.ADMINISTRATOR, SERVICE, None),
    StaffSpec("manager.chenjing", "陈静", Role.DEPARTMENT_MANAGER, SERVICE, None),
    StaffSpec("manager.liuqiang", "刘强", Role.DEPARTMENT_MANAGER, ENGINEERING, None),
    StaffSpec("manager.huangwei", "黄巍", Role.DEPARTMENT_MANAGER, TECHNOLOGY, None),
    StaffSpec("manager.xumin", "许敏", Role.DEPARTMENT_MANAGER, FINANCE, None),
    StaffSpec("lead.zhaolei", "赵磊", Role.TEAM_LEAD, SERVICE, HOTLINE_1),
    StaffSpec("lead.qianhui", "钱慧", Role.TEAM_LEAD, SERVICE, HOTLINE_2),
    StaffSpec("lead.tangmin", "唐敏", Role.TEAM_LEAD, SERVICE, ONLINE),
    StaffSpec("lead.fengjie", "冯洁", Role.TEAM_LEAD, SERVICE, COMPLAINTS),
    StaffSpec("lead.dengkai", "邓凯", Role.TEAM_LEAD, ENGINEERING, SITE_TEAM),
    StaffSpec("qa.sunli", "孙丽", Role.QA_INSPECTOR, SERVICE, None),
    StaffSpec("qa.xiewen", "谢雯", Role.QA_INSPECTOR, SERVICE, None),
    StaffSpec("analyst.zhouyu", "周宇", Role.REALTIME_ANALYST, SERVICE, None),
    _agent("agent.wangfang", "王芳", HOTLINE_1),
    _agent("agent.zhangwei", "张伟", HOTLINE_1),
    _agent("agent.liuyang", "刘洋", HOTLINE_1),
    _agent("agent.yangjing", "杨静", HOTLINE_1),
    _agent("agent.huangtao", "黄涛", HOTLINE_1),
    _agent("agent.davidliang", "梁大卫", HOTLINE_1, "David Liang"),
    _agent("agent.lina", "李娜", HOTLINE_2),
    _agent("agent.zhoujie", "周杰", HOTLINE_2),
    _agent("agent.wuting", "吴婷", HOTLINE_2),
    _agent("agent.xulei", "徐蕾", HOTLINE_2),
    _agent("agent.sunhao", "孙浩", HOTLINE_2),
    _agent("agent.chenxi", "陈曦", ONLINE),
    _agent("agent.mali", "马丽", ONLINE),
    _agent("agent.zhuxia", "朱霞", ONLINE),
    _agent("agent.hulin", "胡琳", ONLINE),
    _agent("agent.emilyzhao", "赵艾米", ONLINE, "Emily Zhao"),
    _agent("agent.guoqiang", "郭强", COMPLAINTS),
    _agent("agent.heyan", "何燕", COMPLAINTS),
    _agent("agent.gaoyu", "高宇", COMPLAINTS),
    _agent("agent.linfeng", "林峰", COMPLAINTS),
    # Project managers own the renovation sites (工程部) and the IT projects (技术部).
    StaffSpec("pm.yangfan", "杨帆", Role.AGENT, ENGINEERING, SITE_TEAM),
    StaffSpec("pm.caoyang", "曹阳", Role.AGENT, ENGINEERING, SITE_TEAM),
    StaffSpec("pm.pengbo", "彭波", Role.AGENT, ENGINEERING, SITE_TEAM),
    StaffSpec("pm.fengtao", "冯涛", Role.AGENT, TECHNOLOGY, SUPPORT_TEAM),
    StaffSpec("pm.xiehao", "谢浩", Role.AGENT, TECHNOLOGY, SUPPORT_TEAM),
    StaffSpec("pm.hanxue", "韩雪", Role.AGENT, TECHNOLOGY, SUPPORT_TEAM),
    StaffSpec("finance.songjia", "宋佳", Role.AGENT, FINANCE, BILLING_TEAM),
)

# The logins the README, ``kefu demo_logins`` and the tests point people at: one per role.
FEATURED_LOGINS: tuple[str, ...] = (
    "admin",
    "manager.chenjing",
    "lead.zhaolei",
    "agent.wangfang",
    "agent.emilyzhao",
    "qa.sunli",
    "analyst.zhouyu",
)

# (hanzi, pinyin)
SURNAMES: tuple[tuple[str, str], ...] = (
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
    ("杨", "yang"), ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"),
    ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu"), ("胡", "hu"),
    ("郭", "guo"), ("何", "he"), ("高", "gao"), ("林", "lin"), ("罗", "luo"),
    ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"), ("唐", "tang"),
    ("许", "xu"), ("韩", "han"), ("冯", "feng"), ("邓", "deng"), ("曹", "cao"),
    ("彭", "peng"), ("曾", "zeng"), ("萧", "xiao"), ("田", "tian"), ("董", "dong"),
    ("潘", "pan"), ("袁", "yuan"), ("蒋", "jiang"), ("蔡", "cai"), ("余", "yu"),
    ("杜", "du"), ("叶", "ye"), ("程", "cheng"), ("魏", "wei"), ("苏", "su"),
    ("吕", "lv"), ("丁", "ding"), ("沈", "shen"), ("姚", "yao"), ("卢", "lu"),
)  # fmt: skip

GIVEN_NAMES: tuple[tuple[str, str], ...] = (
    ("建国", "jianguo"), ("志强", "zhiqiang"), ("海燕", "haiyan"), ("秀英", "xiuying"),
    ("晓明", "xiaoming"), ("丽华", "lihua"), ("俊杰", "junjie"), ("雪梅", "xuemei"),
    ("文博", "wenbo"), ("佳怡", "jiayi"), ("子涵", "zihan"), ("浩然", "haoran"),
    ("思远", "siyuan"), ("雨桐", "yutong"), ("国华", "guohua"), ("玉兰", "yulan"),
    ("明辉", "minghui"), ("晓燕", "xiaoyan"), ("鹏", "peng"), ("欣", "xin"),
    ("磊", "lei"), ("静怡", "jingyi"), ("宏伟", "hongwei"), ("春梅", "chunmei"),
    ("立新", "lixin"), ("淑珍", "shuzhen"), ("嘉伟", "jiawei"), ("若曦", "ruoxi"),
    ("一鸣", "yiming"), ("梦琪", "mengqi"), ("振华", "zhenhua"), ("美玲", "meiling"),
    ("天宇", "tianyu"), ("诗涵", "shihan"), ("永强", "yongqiang"), ("慧敏", "huimin"),
    ("凯", "kai"), ("婷婷", "tingting"), ("德胜", "desheng"), ("桂芳", "guifang"),
    ("家豪", "jiahao"), ("欣怡", "xinyi"), ("学文", "xuewen"), ("红霞", "hongxia"),
    ("晨", "chen"), ("琳", "lin"), ("博文", "bowen"), ("雅琴", "yaqin"),
)  # fmt: skip

ENGLISH_FIRST_NAMES: tuple[str, ...] = (
    "Emma", "Oliver", "Sophie", "James", "Charlotte", "Lucas", "Hannah", "Daniel",
    "Grace", "Thomas", "Laura", "Michael", "Anna", "Peter", "Claire", "Mark",
    "Julia", "Ryan", "Sarah", "Kevin",
)  # fmt: skip

ENGLISH_LAST_NAMES: tuple[str, ...] = (
    "Collins", "Fischer", "Bennett", "Martin", "Dubois", "Walker", "Keller", "Murphy",
    "Novak", "Hughes", "Larsen", "Rossi", "Turner", "Schmidt", "Evans", "Lambert",
)  # fmt: skip

# (city, district, the district's six-digit region code used in fake ID numbers)
DISTRICTS: tuple[tuple[str, str, str], ...] = (
    ("上海", "浦东新区", "310115"),
    ("上海", "闵行区", "310112"),
    ("上海", "徐汇区", "310104"),
    ("上海", "静安区", "310106"),
    ("苏州", "吴中区", "320506"),
    ("苏州", "姑苏区", "320508"),
    ("杭州", "西湖区", "330106"),
    ("杭州", "滨江区", "330108"),
    ("南京", "鼓楼区", "320106"),
    ("宁波", "鄞州区", "330212"),
    ("无锡", "滨湖区", "320211"),
)

ROADS: tuple[str, ...] = (
    "张江路", "世纪大道", "虹梅路", "漕溪北路", "南京西路", "星湖街", "人民路",
    "文三路", "江南大道", "中山北路", "天童南路", "太湖大道", "金桥路", "龙华中路",
)  # fmt: skip

ESTATES: tuple[str, ...] = (
    "翠湖苑", "金桥花园", "桂花园", "阳光水岸", "锦绣江南", "海上名邸", "世纪新城",
    "滨江一号", "梅林新村", "丽都华庭", "绿洲湾", "香樟苑", "御景湾", "云栖小镇",
    "春申景城", "东方康城", "湖畔佳苑", "望江府", "枫林雅苑", "星河湾",
)  # fmt: skip

# (hanzi, pinyin) for company names and their e-mail domains.
FIRM_WORDS: tuple[tuple[str, str], ...] = (
    ("明远", "mingyuan"), ("嘉禾", "jiahe"), ("华信", "huaxin"), ("恒达", "hengda"),
    ("博雅", "boya"), ("瑞丰", "ruifeng"), ("同创", "tongchuang"), ("星河", "xinghe"),
    ("远航", "yuanhang"), ("鼎盛", "dingsheng"), ("汇通", "huitong"), ("锦程", "jincheng"),
    ("天成", "tiancheng"), ("宏图", "hongtu"), ("新桥", "xinqiao"), ("润泽", "runze"),
    ("致远", "zhiyuan"), ("启明", "qiming"), ("众诚", "zhongcheng"), ("海纳", "haina"),
    ("青禾", "qinghe"), ("银杉", "yinshan"), ("和光", "heguang"), ("聚力", "juli"),
    ("拓新", "tuoxin"), ("云帆", "yunfan"), ("东升", "dongsheng"), ("百川", "baichuan"),
    ("广厦", "guangsha"), ("万象", "wanxiang"), ("长青", "changqing"), ("卓越", "zhuoyue"),
)  # fmt: skip

# (name suffix, industry, domain suffix) per kind of client.
PROPERTY_FIRMS: tuple[tuple[str, str, str], ...] = (
    ("物业服务有限公司", "物业管理", "wuye"),
    ("物业管理有限公司", "物业管理", "pm"),
)
COMMERCIAL_FIRMS: tuple[tuple[str, str, str], ...] = (
    ("餐饮管理有限公司", "餐饮", "food"),
    ("商贸有限公司", "零售", "trade"),
    ("教育科技有限公司", "教育培训", "edu"),
    ("酒店管理有限公司", "酒店", "hotel"),
    ("口腔门诊部有限公司", "医疗", "dental"),
)
IT_FIRMS: tuple[tuple[str, str, str], ...] = (
    ("精密制造有限公司", "制造业", "mfg"),
    ("物流有限公司", "物流", "logistics"),
    ("电子科技有限公司", "电子", "tech"),
    ("医药有限公司", "医药", "pharma"),
    ("连锁超市有限公司", "零售", "mart"),
    ("汽车零部件有限公司", "汽车", "auto"),
)

FOREIGN_WORDS: tuple[str, ...] = (
    "Northbridge", "Bluewater", "Silverline", "Harborview", "Evergreen", "Lakeshore",
    "Redwood", "Brightfield", "Stonegate", "Clearpath", "Westwind", "Oakridge",
    "Summit", "Crescent", "Meridian", "Riverside",
)  # fmt: skip

# (name, industry, domain suffix)
FOREIGN_FIRMS: tuple[tuple[str, str, str], ...] = (
    ("Trading (Shanghai) Co., Ltd.", "贸易", "trading"),
    ("Consulting (Shanghai) Co., Ltd.", "咨询", "consulting"),
    ("Precision Parts (Suzhou) Co., Ltd.", "制造业", "parts"),
    ("Design Studio (Shanghai) Co., Ltd.", "设计", "design"),
)

HOUSEHOLD_TITLES: tuple[str, ...] = ("业主", "业主", "业主家属")
PROPERTY_TITLES: tuple[str, ...] = ("物业经理", "工程主管", "客服主管", "项目经理")
COMMERCIAL_TITLES: tuple[str, ...] = ("行政经理", "店长", "采购主管", "总经理助理", "财务主管")
IT_TITLES: tuple[str, ...] = ("IT 经理", "信息部主管", "系统管理员", "采购专员", "财务主管")
ENGLISH_TITLES: tuple[str, ...] = (
    "Office Manager",
    "IT Manager",
    "Facilities Lead",
    "Operations Director",
    "Finance Controller",
)
