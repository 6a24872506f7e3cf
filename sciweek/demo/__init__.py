"""The built-in demo (the 2023 泗县 campaign): the seed here, each domain's part through
``campaigns.demo_parts``. Above every domain it fills; nothing imports it but the top."""
