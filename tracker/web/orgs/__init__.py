"""orgs"""
