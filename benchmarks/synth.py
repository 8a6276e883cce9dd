"""Write a synthetic handbook data tree with N roles: `python benchmarks/synth.py N DIR [--seed S]`.

The tree has the shape of data/ at company scale: departments of ten roles, each with a regulation chapter
listing their duties, a job description per role (duties, draft sections with a basis), about N/2 procedures,
N/4 checklists, an onboarding per role and N/2 glossary terms. The Chinese text varies sentences of the real
handbook (benchmarks/corpus.txt, extracted from data/) with a word list, so jieba segments real text and the
search index grows as a real one would. The output passes `python -m generator check --data DIR`.
Pages built from it: about 2.75 N + 12 (roles and onboardings 2 N, procedures N/2, checklists N/4).
"""
from __future__ import annotations

import argparse
import math
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
CORPUS = [line for line in (HERE / "corpus.txt").read_text(encoding="utf-8").splitlines() if line]
REVIEW_BY = "2027-06-30"
DEPT_SIZE = 10

# Nouns of the real text that get swapped for others, and the words swapped in.
SWAPPABLE = ["网站", "网店", "商品", "订单", "电脑", "客服", "买家", "快递", "页面", "服务器", "计算机", "平台",
             "店铺", "图片", "资料", "数据", "账号", "软件", "设备", "新闻", "活动", "主图", "详情页", "退款",
             "病毒", "网络", "程序", "代码", "仓库", "运费", "文章", "宝贝", "旺旺", "千牛", "天猫", "淘宝"]
WORDS = ["合同", "发票", "供应商", "库存", "报表", "预算", "仓储", "物流", "会员", "优惠券", "直播间", "短视频",
         "广告", "素材", "质检", "采购单", "对账单", "工单", "备份", "防火墙", "数据库", "接口", "小程序",
         "公众号", "客户", "渠道", "门店", "样品", "包装", "标签", "条码", "配送", "退货单", "售后单", "评价",
         "投诉", "积分", "会员卡", "营销方案", "推广计划", "关键词", "搜索排名", "转化率", "访客", "流量",
         "点击率", "毛利", "成本", "费用", "报销", "考勤", "培训", "档案", "印章", "证照", "版权", "商标",
         "专利", "域名", "证书", "邮箱", "打印机", "交换机", "路由器", "机房", "密码", "权限", "日志", "漏洞",
         "补丁", "病毒库", "云主机", "负载均衡", "缓存", "消息队列", "监控告警", "值班表", "应急预案", "演练",
         "客诉", "满意度", "回访", "话术", "知识库", "工作台", "审批流", "报价单", "样册", "展会", "招投标",
         "结算单", "对账", "汇款", "应收账款", "信用额度", "风控", "实名认证", "隐私政策", "用户协议",
         "数据脱敏", "访问记录", "操作手册", "培训课件", "绩效面谈", "周报", "月报", "年度计划", "立项",
         "需求文档", "原型图", "测试用例", "上线计划", "回滚方案", "版本号", "发布窗口", "灰度发布", "巡检",
         "备件", "耗材", "固定资产", "盘点", "调拨单", "出库单", "入库单", "拣货", "打包台", "面单", "揽收",
         "签收", "拒收", "破损", "理赔", "保价", "海外仓", "跨境电商", "报关", "清关", "汇率", "结汇",
         "品牌授权", "经销商", "加盟店", "团购", "秒杀", "预售", "定金", "尾款", "赠品", "套餐", "组合装"]
DEPARTMENTS = ["电商运营", "网络技术", "客户服务", "品牌设计", "内容编辑", "数据分析", "仓储物流", "采购",
               "财务结算", "人事行政", "法务合规", "市场推广", "产品开发", "质量管理", "信息安全", "跨境业务",
               "渠道拓展", "会员运营", "直播电商", "售后保障"]
REGIONS = ["华东", "华南", "华北", "华中", "西南", "西北", "东北", "总部", "海外", "线上"]
JOBS = ["经理", "主管", "程序员", "设计师", "客服专员", "网站编辑", "数据分析师", "运维工程师", "测试工程师",
        "产品专员", "文案策划", "采购专员", "仓储专员", "结算专员", "推广专员", "内容审核员", "美工", "摄影师",
        "店长", "助理"]
SECTION_LEADS = ["负责", "组织", "协助", "参与", "牵头", "按时完成", "定期检查", "统筹"]
PERIODS = ["每月一次", "每周一次", "每季度一次", "每天下班前"]


def vary(rng: random.Random, text: str) -> str:
    """A corpus sentence with some of its nouns swapped for words of the list."""
    def swap(match: re.Match[str]) -> str:
        return rng.choice(WORDS) if rng.random() < 0.6 else match.group()
    return _SWAP_RE.sub(swap, text)


_SWAP_RE = re.compile("|".join(sorted(SWAPPABLE, key=len, reverse=True)))


def sentence(rng: random.Random, min_len: int = 0) -> str:
    text = vary(rng, rng.choice(CORPUS))
    while len(text) < min_len:
        text = text.rstrip("。;:,") + "," + vary(rng, rng.choice(CORPUS))
    return text


@dataclass
class Role:
    id: str
    title: str
    department: str
    reports_to: str
    duties: list[str] = field(default_factory=list)
    """Ids of every duty and sub-duty, for the basis of drafts elsewhere."""


class Synth:
    def __init__(self, n: int, seed: int) -> None:
        self.n = n
        self.rng = random.Random(seed)
        self.files: dict[str, Any] = {}
        self.roles: list[Role] = []
        self.procedures: list[str] = []
        self.checklists: list[str] = []
        self.terms: list[str] = []

    def say(self, min_len: int = 0) -> str:
        return sentence(self.rng, min_len)

    def say_distinct(self, count: int) -> list[str]:
        """count different sentences: the items of one list (a reader, and the page checks, tell them apart)."""
        said: dict[str, None] = {}
        while len(said) < count:
            said[self.say()] = None
        return list(said)

    # -- regulation and roles -----------------------------------------------------------------------
    def general(self) -> None:
        clauses = [{"id": "general-purpose", "text": self.say(60)},
                   {"id": "general-principle", "text": self.say(30)},
                   {"id": "general-scope", "text": "本制度适用于公司各部门。"}]
        self.files["regulation/001-general.yml"] = {
            "id": "general", "title": "总则", "status": "approved", "owner": "gm", "review_by": REVIEW_BY,
            "clauses": clauses}
        chapters = min(15, max(1, self.n // 100))
        per = min(99, math.ceil(self.n / 2 / chapters))
        for c in range(1, chapters + 1):
            items = []
            for k in range(1, per + 1):
                clause: dict[str, Any] = {"id": f"rule{c}-{k}", "text": self.say(20)}
                if k % 4 == 0:
                    clause["items"] = [{"id": f"rule{c}-{k}-{j}", "text": self.say()} for j in (1, 2, 3)]
                items.append(clause)
            self.files[f"regulation/{c + 1:03d}-rules{c}.yml"] = {
                "id": f"rules{c}", "title": f"{self.rng.choice(WORDS)}与{self.rng.choice(WORDS)}管理",
                "status": "approved", "owner": "gm", "review_by": REVIEW_BY, "clauses": items}

    def make_roles(self) -> None:
        for index in range(self.n):
            dept = index // DEPT_SIZE
            name = REGIONS[dept // len(DEPARTMENTS) % len(REGIONS)] + DEPARTMENTS[dept % len(DEPARTMENTS)]
            if dept >= len(DEPARTMENTS) * len(REGIONS):
                name += f"{dept // (len(DEPARTMENTS) * len(REGIONS)) + 1}部"
            head = f"r{dept * DEPT_SIZE + 1:04d}"
            role_id = f"r{index + 1:04d}"
            job = JOBS[0] if role_id == head else JOBS[1 + (index * 7 + dept) % (len(JOBS) - 1)]
            self.roles.append(Role(role_id, name + "部" + job, name + "部", "gm" if role_id == head else head))
        for role in self.roles:
            self.files[f"roles/{role.id}.yml"] = self.role(role)
        self.files["roles/gm.yml"] = {
            "id": "gm", "title": "总经理", "department": "公司管理层", "external": True, "status": "approved",
            "owner": "gm", "review_by": REVIEW_BY,
            "purpose": {"text": self.say(20), "status": "draft", "basis": ["general-principle"]}}
        per_chapter = max(2 * DEPT_SIZE, math.ceil(self.n / 80))
        first = len([k for k in self.files if k.startswith("regulation/")]) + 1
        for c, start in enumerate(range(0, self.n, per_chapter)):
            chunk = self.roles[start:start + per_chapter]
            self.files[f"regulation/{first + c:03d}-duties{c + 1}.yml"] = {
                "id": f"duties{c + 1}", "title": f"{chunk[0].department}等岗位职责", "status": "approved",
                "owner": "gm", "review_by": REVIEW_BY,
                "intro": "各岗位所承担的责任如下:", "clauses": [{"role": r.id} for r in chunk]}

    def duty_list(self, role: Role, prefix: str, count: int) -> list[dict[str, Any]]:
        duties = []
        for k in range(1, count + 1):
            duty: dict[str, Any] = {"id": f"{prefix}-{k}", "text": self.rng.choice(SECTION_LEADS) + self.say()}
            role.duties.append(duty["id"])
            if self.rng.random() < 0.3:
                duty["text"] = duty["text"].rstrip("。;,") + ":"
                duty["items"] = [{"id": f"{prefix}-{k}-{j}", "text": self.say()} for j in range(1, 4)]
                role.duties.extend(item["id"] for item in duty["items"])
            duties.append(duty)
        return duties

    def role(self, role: Role) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": role.id, "title": role.title, "department": role.department, "status": "approved",
            "owner": role.reports_to, "review_by": REVIEW_BY, "reports_to": role.reports_to,
            "intro": f"{role.title}在上级领导下开展工作,其主要岗位职责如下:"}
        if int(role.id[1:]) % 5 == 0:
            data["duty_groups"] = [
                {"id": f"{role.id}-g{g}", "title": title, "duties": self.duty_list(role, f"{role.id}-g{g}", 5)}
                for g, title in ((1, "日常工作"), (2, "专项工作"))]
        else:
            data["duties"] = self.duty_list(role, role.id, self.rng.randint(6, 12))
        basis = lambda: sorted(self.rng.sample(role.duties, min(3, len(role.duties))))  # noqa: E731
        data["purpose"] = {"text": self.say(30), "status": "draft", "basis": basis()}
        for key in ("authority", "qualifications", "kpis"):
            data[key] = {"status": "draft", "basis": basis(),
                         "items": self.say_distinct(self.rng.randint(3, 6))}
        data["relations"] = {"status": "draft", "basis": basis(),
                             "internal": self.say_distinct(3), "external": self.say_distinct(2)}
        return data

    # -- procedures, checklists, onboarding, glossary ----------------------------------------------
    def dept_of(self, role: Role) -> list[Role]:
        start = (int(role.id[1:]) - 1) // DEPT_SIZE * DEPT_SIZE
        return self.roles[start:start + DEPT_SIZE]

    def check_items(self, prefix: str, members: list[Role], count: int) -> list[dict[str, Any]]:
        items = []
        for k in range(1, count + 1):
            who = self.rng.choice(members)
            items.append({"id": f"{prefix}-{k}", "text": self.say(), "owner": who.id,
                          "basis": [self.rng.choice(who.duties)]})
        return items

    def make_checklists(self) -> None:
        for index in range(max(1, self.n // 4)):
            owner = self.roles[(index * 4) % self.n]
            members = self.dept_of(owner)
            checklist_id = f"c{index + 1:04d}"
            data: dict[str, Any] = {
                "id": checklist_id, "title": f"{self.rng.choice(WORDS)}{self.rng.choice(WORDS)}检查清单",
                "status": "draft", "basis": [self.rng.choice(owner.duties)], "owner": owner.id,
                "review_by": REVIEW_BY, "purpose": self.say(20)}
            if index % 3 == 0:
                data["period"] = self.rng.choice(PERIODS)
            data["items"] = self.check_items(f"{checklist_id}-i", members, self.rng.randint(5, 9))
            self.checklists.append(checklist_id)
            self.files[f"checklists/{checklist_id}.yml"] = data

    def make_procedures(self) -> None:
        for index in range(max(1, self.n // 2)):
            owner = self.roles[(index * 2) % self.n]
            members = self.dept_of(owner)
            procedure_id = f"p{index + 1:04d}"
            steps = []
            for k in range(1, self.rng.randint(4, 8) + 1):
                actor = self.rng.choice(members)
                step: dict[str, Any] = {"id": f"{procedure_id}-s{k}", "actor": actor.id, "action": self.say(15)}
                if self.rng.random() < 0.4:
                    step["output"] = self.rng.choice(WORDS) + "记录"
                if self.rng.random() < 0.3:
                    step["time_limit"] = f"{self.rng.choice([2, 4, 24, 48])}小时内"
                step["basis"] = [self.rng.choice(actor.duties)]
                if k == 2 and self.checklists:
                    step["checklist"] = self.checklists[index % len(self.checklists)]
                    list_owner = self.files[f"checklists/{step['checklist']}.yml"]["owner"]
                    if list_owner != actor.id:  # the checklist's owner takes part in the step it is used in
                        step["informed"] = [list_owner]
                steps.append(step)
            self.procedures.append(procedure_id)
            self.files[f"procedures/{procedure_id}.yml"] = {
                "id": procedure_id, "title": f"{self.rng.choice(WORDS)}{self.rng.choice(['处理', '审核', '发布', '登记', '维护'])}流程",
                "status": "draft", "basis": sorted({s["basis"][0] for s in steps}), "owner": owner.id,
                "review_by": REVIEW_BY, "purpose": self.say(20), "trigger": self.say(), "steps": steps,
                "notes": self.say_distinct(self.rng.randint(1, 3))}

    def make_glossary(self) -> None:
        seen: set[str] = set()
        terms = []
        while len(terms) < max(30, self.n // 2):
            word = self.rng.choice(WORDS) + self.rng.choice(WORDS)
            if word in seen:
                continue
            seen.add(word)
            term: dict[str, Any] = {"id": f"t{len(terms) + 1:04d}", "term": word, "meaning": self.say(20)}
            if len(terms) % 5 == 0:
                term["aliases"] = [self.rng.choice(WORDS) + "管理"]
            terms.append(term)
        self.terms = [t["id"] for t in terms]
        self.files["glossary.yml"] = {"title": "术语表", "status": "draft", "basis": ["general-principle"], "owner": "gm",
                                      "review_by": REVIEW_BY, "terms": terms}

    def make_onboarding(self) -> None:
        for role in self.roles:
            members = self.dept_of(role)
            head = members[0]
            prefix = f"ob-{role.id}"
            reading = [{"ref": "general", "note": self.say()}, {"ref": role.id, "note": "本岗位的职责、权限和考核指标。"},
                       {"ref": self.procedures[(int(role.id[1:]) - 1) // 2 % len(self.procedures)],
                        "note": self.say()},
                       {"ref": self.rng.choice(self.terms), "note": self.say()}]
            contacts = [{"role": head.id if head is not role else "gm", "topic": self.say()},
                        {"role": self.rng.choice(members).id, "topic": self.say()}]
            self.files[f"onboarding/{role.id}.yml"] = {
                "id": f"onboarding-{role.id}", "role": role.id, "status": "draft", "basis": [role.duties[0]],
                "owner": head.id, "review_by": REVIEW_BY, "reading": reading, "contacts": contacts,
                "day1": self.check_items(f"{prefix}-d1", members, 3),
                "week1": self.check_items(f"{prefix}-w1", members, 4),
                "month1": self.check_items(f"{prefix}-m1", members, 4)}

    def handbook(self) -> None:
        self.files["handbook.yml"] = {
            "title": "公司管理制度汇编", "body_title": "公司管理制度", "publisher": "总经办", "interpreter": "总经办",
            "status": "approved", "owner": "gm", "review_by": REVIEW_BY, "department": "公司"}

    def build(self) -> dict[str, Any]:
        self.handbook()
        self.general()
        self.make_roles()
        self.make_checklists()
        self.make_procedures()
        self.make_glossary()
        self.make_onboarding()
        return self.files


def write(n: int, out: Path, seed: int = 1) -> int:
    """Write the tree for n roles into out (replaced if it exists); returns the number of files."""
    if n < 1:
        raise ValueError("N must be at least 1")
    files = Synth(n, seed).build()
    if out.exists():
        shutil.rmtree(out)
    for rel, data in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return len(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of department roles")
    parser.add_argument("out", type=Path, help="folder to write (replaced if it exists)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    count = write(args.n, args.out, args.seed)
    print(f"wrote {count} files for {args.n} roles to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
