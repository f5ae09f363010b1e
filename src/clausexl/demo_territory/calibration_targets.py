"""The key figures of a real facilitator's 2018 activity that the demo reproduces (docs/calculs.md §3).

Kept apart from :mod:`.calibration` so that the generator's steps can aim at them without
importing the calibration itself.
"""

CALIBRATED_YEAR = 2018
TARGET_PARTICIPANTS_2018 = 146
TARGET_HOURS_2018 = 28_900
TARGET_YOUNG_2018 = 37  # 25.3 % of 146
TARGET_NO_QUALIFICATION_2018 = 37  # 25.3 %
TARGET_RSA_2018 = 66  # 45.2 %
TARGET_SENIORS_2018 = 19
