"""jzleader: pre-screening for 焦作市学术技术带头人 recommendations (焦人社文〔2020〕28号)."""

__version__ = "0.1.0"
